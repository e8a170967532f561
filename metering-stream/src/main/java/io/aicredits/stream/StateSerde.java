package io.aicredits.stream;

import io.aicredits.stream.credits.Account;
import io.aicredits.stream.credits.PeriodMark;
import io.aicredits.stream.holds.Hold;
import io.aicredits.stream.processing.CommandOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary serde for the processor's own state ({@link Account}, {@link Hold},
 * {@link PeriodMark}, {@link CommandOutcome}): stores and changelogs only, never a public topic. Every value starts with
 * a format version byte ({@link #VERSION}); values of an older layout are still read (the fields
 * it lacks keep their defaults), and an unknown version fails loudly instead of being misread.
 * Fields are written in a fixed order with {@link DataOutputStream}, a newer layout only appends;
 * nullable values carry a presence flag.
 */
public final class StateSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

    /** Layout version of every value written by this class. */
    static final byte VERSION = 2;
    /** The first layout: without the hold's attempt, USD estimate and response, and the account's USD held. */
    private static final byte VERSION_1 = 1;

    interface Writer<T> {
        void write(DataOutputStream out, T value) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in, byte version) throws IOException;
    }

    private final String name;
    private final Writer<T> writer;
    private final Reader<T> reader;

    private StateSerde(String name, Writer<T> writer, Reader<T> reader) {
        this.name = name;
        this.writer = writer;
        this.reader = reader;
    }

    public static StateSerde<Account> account() {
        return new StateSerde<>("Account", StateSerde::writeAccount, StateSerde::readAccount);
    }

    public static StateSerde<Hold> hold() {
        return new StateSerde<>("Hold", StateSerde::writeHold, StateSerde::readHold);
    }

    public static StateSerde<PeriodMark> periodMark() {
        return new StateSerde<>("PeriodMark", StateSerde::writePeriodMark, StateSerde::readPeriodMark);
    }

    /**
     * A command's outcome. The commands store once held only the applied-at time as an 8-byte
     * {@code Serdes.Long()} value; such a value is read as "applied then" (a current value is longer:
     * version, flag, time and presence flags).
     */
    public static Serde<CommandOutcome> commandOutcome() {
        StateSerde<CommandOutcome> current = new StateSerde<>("CommandOutcome", StateSerde::writeCommandOutcome,
                StateSerde::readCommandOutcome);
        Deserializer<Long> appliedAt = Serdes.Long().deserializer();
        return Serdes.serdeFrom(current, (topic, data) -> data != null && data.length == Long.BYTES
                ? CommandOutcome.applied(null, appliedAt.deserialize(topic, data))
                : current.deserialize(topic, data));
    }

    /** A deep copy through the binary form. */
    public T copy(T value) {
        return deserialize(null, serialize(null, value));
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out, data);
        } catch (IOException e) {
            throw new SerializationException("Cannot write " + name + " state", e);
        }
        return bytes.toByteArray();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length == 0) {
            throw new SerializationException("Cannot read " + name + " state: empty value");
        }
        byte version = data[0];
        if (version != VERSION && version != VERSION_1) {
            throw new SerializationException("Cannot read " + name + " state: unknown format version " + data[0]
                    + " (this build reads version " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            return reader.read(in, version);
        } catch (IOException e) {
            throw new SerializationException("Cannot read " + name + " state (" + data.length + " bytes)", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        // Stateless.
    }

    // ---------------------------------------------------------------- Account

    private static void writeAccount(DataOutputStream out, Account a) throws IOException {
        writeString(out, a.userId);
        writeString(out, a.plan);
        writeString(out, a.periodId);
        out.writeLong(a.periodStart);
        out.writeLong(a.lastReset);
        writeString(out, null); // once the last command id: its slot stays so every layout reads alike
        out.writeLong(a.tokensUsed);
        out.writeLong(a.tokensHeld);
        out.writeLong(a.costNanos);
        Map<String, Account.Pool> pools = a.pools == null ? Map.of() : a.pools;
        out.writeInt(pools.size());
        for (Map.Entry<String, Account.Pool> e : pools.entrySet()) {
            writeString(out, e.getKey());
            Account.Pool p = e.getValue();
            out.writeLong(p.limit);
            out.writeLong(p.allowance);
            out.writeLong(p.held);
            out.writeLong(p.used);
            out.writeLong(p.overage);
            out.writeLong(p.epoch);
            writeGrants(out, p.grants);
        }
        out.writeLong(a.costHeldNanos);
    }

    private static Account readAccount(DataInputStream in, byte version) throws IOException {
        Account a = new Account();
        a.userId = readString(in);
        a.plan = readString(in);
        a.periodId = readString(in);
        a.periodStart = in.readLong();
        a.lastReset = in.readLong();
        readString(in); // once the last command id, no longer kept
        a.tokensUsed = in.readLong();
        a.tokensHeld = in.readLong();
        a.costNanos = in.readLong();
        int pools = in.readInt();
        a.pools = new TreeMap<>();
        for (int i = 0; i < pools; i++) {
            String name = readString(in);
            Account.Pool p = new Account.Pool();
            p.limit = in.readLong();
            p.allowance = in.readLong();
            p.held = in.readLong();
            p.used = in.readLong();
            p.overage = in.readLong();
            p.epoch = in.readLong();
            p.grants = readGrants(in);
            a.pools.put(name, p);
        }
        if (version > VERSION_1) {
            a.costHeldNanos = in.readLong();
        }
        return a;
    }

    // ---------------------------------------------------------------- Hold

    private static void writeHold(DataOutputStream out, Hold h) throws IOException {
        writeString(out, h.requestId);
        writeString(out, h.userId);
        writeString(out, h.pool);
        writeString(out, h.operationType);
        out.writeLong(h.amount);
        out.writeLong(h.fromAllowance);
        writeGrants(out, h.fromGrants);
        out.writeLong(h.epoch);
        out.writeLong(h.periodStart);
        writeLong(out, h.tokensPerCredit);
        out.writeLong(h.estimatedTokens);
        out.writeLong(h.placedAt);
        out.writeLong(h.expiresAt);
        out.writeByte(h.state == null ? -1 : h.state.ordinal());
        out.writeLong(h.closedAt);
        writeString(out, h.attemptId);
        out.writeLong(h.costHeldNanos);
        writeBytes(out, h.response);
    }

    private static Hold readHold(DataInputStream in, byte version) throws IOException {
        Hold h = new Hold();
        h.requestId = readString(in);
        h.userId = readString(in);
        h.pool = readString(in);
        h.operationType = readString(in);
        h.amount = in.readLong();
        h.fromAllowance = in.readLong();
        h.fromGrants = readGrants(in);
        h.epoch = in.readLong();
        h.periodStart = in.readLong();
        h.tokensPerCredit = readLong(in);
        h.estimatedTokens = in.readLong();
        h.placedAt = in.readLong();
        h.expiresAt = in.readLong();
        int state = in.readByte();
        if (state >= Hold.State.values().length) {
            throw new IOException("unknown hold state ordinal " + state);
        }
        h.state = state < 0 ? null : Hold.State.values()[state];
        h.closedAt = in.readLong();
        if (version > VERSION_1) {
            h.attemptId = readString(in);
            h.costHeldNanos = in.readLong();
            h.response = readBytes(in);
        }
        return h;
    }

    // ---------------------------------------------------------------- PeriodMark

    private static void writePeriodMark(DataOutputStream out, PeriodMark m) throws IOException {
        writeString(out, m.periodId);
        out.writeLong(m.startAt);
    }

    private static PeriodMark readPeriodMark(DataInputStream in, byte version) throws IOException {
        return new PeriodMark(readString(in), in.readLong());
    }

    // ---------------------------------------------------------------- CommandOutcome

    private static void writeCommandOutcome(DataOutputStream out, CommandOutcome o) throws IOException {
        writeString(out, o.userId());
        out.writeBoolean(o.applied());
        writeString(out, o.reason());
        out.writeLong(o.decidedAt());
    }

    private static CommandOutcome readCommandOutcome(DataInputStream in, byte version) throws IOException {
        return new CommandOutcome(readString(in), in.readBoolean(), readString(in), in.readLong());
    }

    // ---------------------------------------------------------------- shared

    /** A null list is written as length -1 and read back as null. */
    private static void writeGrants(DataOutputStream out, List<Account.Grant> grants) throws IOException {
        if (grants == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(grants.size());
        for (Account.Grant g : grants) {
            writeString(out, g.id);
            writeString(out, g.type);
            out.writeLong(g.remaining);
            writeLong(out, g.expiresAt);
        }
    }

    private static List<Account.Grant> readGrants(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        List<Account.Grant> grants = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            grants.add(new Account.Grant(readString(in), readString(in), in.readLong(), readLong(in)));
        }
        return grants;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeLong(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    /** A null array is written as length -1. */
    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] bytes = new byte[n];
        in.readFully(bytes);
        return bytes;
    }
}
