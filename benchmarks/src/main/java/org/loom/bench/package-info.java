/** JMH benchmarks of the protocol core. */
package org.loom.bench;
