package io.aicredits.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Settings end up in logs and error messages: their secrets never do. */
class AlertsPropertiesTest {

    @Test
    void shouldNotPrintTheTelegramBotToken() {
        AlertsProperties.Telegram telegram = new AlertsProperties.Telegram("https://api.telegram.org", "123456:AAH-secret", "99");

        assertThat(telegram.toString()).doesNotContain("AAH-secret").contains("botToken=<set>").contains("chatId=99");
        assertThat(new AlertsProperties.Telegram("https://api.telegram.org", null, null).toString()).contains("botToken=<none>");
    }

    @Test
    void shouldNotPrintTheWebhookPath() {
        AlertsProperties.Webhook webhook = new AlertsProperties.Webhook("https://hooks.slack.com:443/services/T000/B000/XXXXSECRET?x=1");

        assertThat(webhook.toString()).doesNotContain("XXXXSECRET").contains("https://hooks.slack.com:443/<redacted>");
        assertThat(new AlertsProperties.Webhook(null).toString()).contains("<none>");
    }
}
