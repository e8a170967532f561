package io.aicredits.gateway.media;

import io.aicredits.gateway.GatewayProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Generated images on disk: {@code {dir}/{id}.bin} holds the bytes and {@code {dir}/{id}.properties}
 * the metadata (owner, content type, generation id, prompt, size, creation time). Both files are
 * written to a temp name and moved into place, metadata last, so a reader never sees half an image.
 */
@Component
public class MediaStore {

    private static final Pattern ID = Pattern.compile("media-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path dir;

    MediaStore(GatewayProperties properties) {
        this.dir = properties.media().dir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create media directory " + dir, e);
        }
    }

    public record Media(String id, String ownerId, String contentType, String generationId, String prompt,
                        int width, int height, Instant createdAt) {
    }

    /** Blocking: call on a blocking-capable scheduler. */
    public Media save(String ownerId, String generationId, String prompt, int width, int height,
                      String contentType, byte[] bytes) {
        Media media = new Media("media-" + UUID.randomUUID(), ownerId, contentType, generationId, prompt, width, height,
                Instant.now());
        Properties meta = new Properties();
        meta.setProperty("owner_id", ownerId);
        meta.setProperty("content_type", contentType);
        meta.setProperty("generation_id", generationId);
        meta.setProperty("prompt", prompt);
        meta.setProperty("width", Integer.toString(width));
        meta.setProperty("height", Integer.toString(height));
        meta.setProperty("created_at", media.createdAt().toString());
        meta.setProperty("size_bytes", Integer.toString(bytes.length));
        try {
            writeAtomically(dir.resolve(media.id() + ".bin"), bytes);
            java.io.StringWriter text = new java.io.StringWriter();
            meta.store(text, "generated image " + media.id());
            writeAtomically(dir.resolve(media.id() + ".properties"), text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store image " + media.id(), e);
        }
        return media;
    }

    /** The media's metadata, if the id is well-formed and stored. Blocking. */
    public Optional<Media> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Path metaFile = dir.resolve(id + ".properties");
        if (!Files.exists(metaFile)) {
            return Optional.empty();
        }
        Properties meta = new Properties();
        try (var reader = Files.newBufferedReader(metaFile, StandardCharsets.UTF_8)) {
            meta.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read metadata of " + id, e);
        }
        return Optional.of(new Media(id, meta.getProperty("owner_id"), meta.getProperty("content_type"),
                meta.getProperty("generation_id"), meta.getProperty("prompt"),
                Integer.parseInt(meta.getProperty("width")), Integer.parseInt(meta.getProperty("height")),
                Instant.parse(meta.getProperty("created_at"))));
    }

    /** The stored bytes. Blocking. */
    public byte[] read(Media media) {
        try {
            return Files.readAllBytes(dir.resolve(media.id() + ".bin"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image " + media.id(), e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(temp, bytes);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

}
