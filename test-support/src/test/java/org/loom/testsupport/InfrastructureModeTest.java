package org.loom.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class InfrastructureModeTest {

    private static final BooleanSupplier DOCKER_MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("Docker was probed although the mode was explicit");
    };

    @Test
    void explicitSettingDecidesWithoutProbingDocker() {
        assertThat(InfrastructureMode.resolve(null, "local", DOCKER_MUST_NOT_BE_ASKED))
                .isEqualTo(InfrastructureMode.LOCAL);
        assertThat(InfrastructureMode.resolve(null, " Containers ", DOCKER_MUST_NOT_BE_ASKED))
                .isEqualTo(InfrastructureMode.CONTAINERS);
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        assertThat(InfrastructureMode.resolve("local", "containers", DOCKER_MUST_NOT_BE_ASKED))
                .isEqualTo(InfrastructureMode.LOCAL);
        assertThat(InfrastructureMode.resolve("", "containers", DOCKER_MUST_NOT_BE_ASKED))
                .isEqualTo(InfrastructureMode.CONTAINERS);
    }

    @Test
    void unsetModeFollowsDockerAvailability() {
        assertThat(InfrastructureMode.resolve(null, null, () -> true)).isEqualTo(InfrastructureMode.CONTAINERS);
        assertThat(InfrastructureMode.resolve(" ", "", () -> false)).isEqualTo(InfrastructureMode.LOCAL);
    }

    @Test
    void rejectsUnknownMode() {
        assertThatThrownBy(() -> InfrastructureMode.resolve(null, "docker", DOCKER_MUST_NOT_BE_ASKED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("LOOM_TEST_INFRA");
    }
}
