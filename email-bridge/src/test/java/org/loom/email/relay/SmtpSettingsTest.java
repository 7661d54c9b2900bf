package org.loom.email.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpSettingsTest {

    @ParameterizedTest(name = "mode ''{0}'', url ''{1}'', host ''{2}'' -> {3}")
    @CsvSource({
            "'', '', '', DISABLED",
            "'', 'smtp://mx.example:25', '', SMTP",
            "'', '', 'mx.example', SMTP",
            "smtp, '', '', DISABLED",
            "SMTP, '', 'mx.example', SMTP",
            "stream, '', '', STREAM",
            "stream, '', 'mx.example', STREAM",
            "disabled, '', 'mx.example', DISABLED",
            "carrier-pigeon, '', 'mx.example', SMTP",
            "carrier-pigeon, '', '', DISABLED"})
    void decidesTheModeAsTheReferenceNodeDoes(String mode, String url, String host, SmtpSettings.Mode expected) {
        SmtpSettings settings = new SmtpSettings(mode, "", url, host, 587, false, "", "", false, true, 30000);
        assertThat(settings.effectiveMode()).isEqualTo(expected);
    }
}
