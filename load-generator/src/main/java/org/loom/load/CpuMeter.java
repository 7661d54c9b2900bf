package org.loom.load;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * The generator's own CPU use over a stretch of wall time, as a share of the whole machine: process CPU time divided
 * by wall time times the number of cores. 0.5 on two cores means the generator kept one core busy.
 */
final class CpuMeter {

    private CpuMeter() {
    }

    /** A reading of process CPU time and wall time. */
    record Reading(long cpuNanos, long wallNanos) {
    }

    static Reading read() {
        return new Reading(processCpuNanos(), System.nanoTime());
    }

    /** The share of the machine used between two readings; -1 when the JVM does not report process CPU time. */
    static double share(Reading from, Reading to) {
        if (from.cpuNanos() < 0 || to.cpuNanos() < 0 || to.wallNanos() <= from.wallNanos()) {
            return -1;
        }
        double wall = (double) (to.wallNanos() - from.wallNanos()) * Runtime.getRuntime().availableProcessors();
        return (to.cpuNanos() - from.cpuNanos()) / wall;
    }

    private static long processCpuNanos() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean hotspot) {
            return hotspot.getProcessCpuTime();
        }
        return -1;
    }
}
