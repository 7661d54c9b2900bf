package org.loom.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsDescribeAModestIngestRunAgainstTheLocalNode() {
        LoadOptions options = LoadOptions.parse(List.of());

        assertThat(options.target()).isEqualTo(URI.create("http://127.0.0.1:8787"));
        assertThat(options.scenario()).isEqualTo(LoadOptions.Scenario.INGEST);
        assertThat(options.mix().of(ThreadShape.NEW)).isEqualTo(40);
        assertThat(options.paced()).isFalse();
    }

    @Test
    void namedArgumentsOverrideTheirDefaults() {
        LoadOptions options = LoadOptions.parse(List.of("--target", "http://node.test:9000/", "--rate", "1000",
                "--concurrency", "32", "--scenario", "render-thread", "--thread-size", "10000"));

        assertThat(options.target()).isEqualTo(URI.create("http://node.test:9000"));
        assertThat(options.rate()).isEqualTo(1000.0);
        assertThat(options.paced()).isTrue();
        assertThat(options.concurrency()).isEqualTo(32);
        assertThat(options.readConcurrency()).isEqualTo(32);
        assertThat(options.scenario()).isEqualTo(LoadOptions.Scenario.RENDER_THREAD);
    }

    @Test
    void readsCanUseFewerClientsThanWrites() {
        LoadOptions options = LoadOptions.parse(List.of("--concurrency", "16", "--read-concurrency", "1"));

        assertThat(options.concurrency()).isEqualTo(16);
        assertThat(options.readConcurrency()).isEqualTo(1);
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--read-concurrency", "-2")))
                .hasMessageContaining("--read-concurrency");
    }

    @Test
    void wrongArgumentsAreNamedInTheMessage() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--envelops", "5")))
                .hasMessageContaining("--envelops");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--concurrency", "many")))
                .hasMessageContaining("--concurrency");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--mix", "new:50,deep:20")))
                .hasMessageContaining("100");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--scenario", "federation")))
                .hasMessageContaining("--peer");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--recipients", "20")))
                .hasMessageContaining("--identities");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--target", "ftp://x")))
                .hasMessageContaining("--target");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("--rate")))
                .hasMessageContaining("needs a value");
    }

    @Test
    void usageListsEveryArgument() {
        assertThat(LoadOptions.usage()).contains("--target", "--scenario", "--rate", "--concurrency", "--readback",
                "LOOM_RATE_LIMIT_SENSITIVE_MAX=0");
    }
}
