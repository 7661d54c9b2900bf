package org.loom.email.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {

    @Test
    void readsTheVerdictsOfTheNearestMta() {
        MailHeaders headers = MailHeaders.parse("""
                Authentication-Results: mx.example.net;\r
                  spf=pass (sender allowed) smtp.mailfrom=example.com;\r
                  dkim=FAIL header.d=example.com; dmarc=pass\r
                Authentication-Results: forged.example; spf=fail; dkim=pass\r
                """);
        assertThat(AuthenticationResults.read(headers)).isEqualTo(Map.of("spf", "pass", "dkim", "fail", "dmarc", "pass"));
    }

    @Test
    void missingVerdictsAreNone() {
        assertThat(AuthenticationResults.read(MailHeaders.parse("Authentication-Results: mx; spf=softfail\r\n")))
                .isEqualTo(Map.of("spf", "softfail", "dkim", "none", "dmarc", "none"));
        assertThat(AuthenticationResults.read(MailHeaders.empty()))
                .isEqualTo(Map.of("spf", "none", "dkim", "none", "dmarc", "none"));
    }
}
