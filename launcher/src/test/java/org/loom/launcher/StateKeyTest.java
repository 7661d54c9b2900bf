package org.loom.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.loom.protocol.crypto.SigningKey;

class StateKeyTest {

    @Test
    void defaultKeyKeepsTheServicesOwnSchemaNames() {
        assertThat(StateKey.DEFAULT.schemaOf("envelope")).isEqualTo("envelope");
        assertThat(EmbeddedNodeSettings.fromEnvironment(Map.of()).stateKey()).isEqualTo(StateKey.DEFAULT);
    }

    @Test
    void otherKeysPrefixEverySchema() {
        StateKey key = EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_PG_STATE_KEY", " Tenant_A ")).stateKey();
        assertThat(key.schemaOf("gateway")).isEqualTo("tenant_a_gateway");
        assertThat(key.schemaOf("envelope")).isEqualTo("tenant_a_envelope");
    }

    @Test
    void keysThatCannotBePartOfASchemaNameStopTheNodeAtStart() {
        for (String bad : new String[] {"1abc", "a-b", "a b", "x".repeat(41), "ünï"}) {
            assertThatThrownBy(() -> EmbeddedNodeSettings.fromEnvironment(Map.of("LOOM_PG_STATE_KEY", bad)))
                    .as(bad).isInstanceOf(NodeStartupException.class).hasMessageContaining("LOOM_PG_STATE_KEY");
        }
    }

    @Test
    void wiringPointsEachServiceAtItsSchemaUnderTheKeyButReadsItsOwnMigrations() {
        PostgresDatabase database = new PostgresDatabase("jdbc:postgresql://127.0.0.1:5432/loom", "loom", "");
        ServiceWiring wiring = new ServiceWiring("127.0.0.1:19092",
                new NodeSigningKey(SigningKey.generate(), "k_node_sign_local_1", NodeSigningKey.Origin.GENERATED),
                database, new StateKey("blue"), Map.of("envelope-service", 18001, "federation-service", 18002,
                        "delivery-worker", 18003, "email-bridge", 18004));
        Map<String, Object> envelope = wiring.propertiesFor(NodeServices.INTERNAL.get(0), "127.0.0.1", 18001);
        assertThat(envelope)
                .containsEntry("spring.flyway.schemas", "blue_envelope")
                .containsEntry("spring.datasource.hikari.schema", "blue_envelope")
                .containsEntry("spring.jpa.properties.hibernate.default_schema", "blue_envelope")
                .containsEntry("spring.flyway.locations", "classpath:db/migration/envelope");
    }
}
