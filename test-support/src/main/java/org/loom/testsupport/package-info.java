/**
 * Real infrastructure for tests: {@link org.loom.testsupport.TestInfrastructure} hands out a Kafka bootstrap address
 * and fresh PostgreSQL schemas, and {@link org.loom.testsupport.LoomTestProperties} points a Spring Boot test context
 * at them.
 */
package org.loom.testsupport;
