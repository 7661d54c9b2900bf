package org.loom.gateway;

import org.loom.testsupport.LoomTestProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The api-gateway as it runs, on a random port, against the shared test broker and a fresh PostgreSQL schema. Test
 * classes extending this share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class RunningGateway {

    @DynamicPropertySource
    static void testInfrastructure(DynamicPropertyRegistry registry) {
        LoomTestProperties.register(registry, "api-gateway");
    }
}
