package io.aicredits.examples.upscale;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A backend service whose upscale endpoint spends the caller's generation credits. */
@SpringBootApplication
public class UpscaleServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(UpscaleServiceApplication.class, args);
    }
}
