package dev.loupe.testing;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * What some work cost: wall time, the CPU time of the whole JVM and the bytes the whole JVM allocated meanwhile (the
 * service under test, the broker and the test client all run in it). Allocation shows a decompression bomb being
 * decoded however soon the garbage collector hides it from "used heap" (decoding 30,000 x 30,000 pixels allocates at
 * least 900 MB), and CPU time does not grow when a loaded build machine makes the work wait.
 */
public record Cost<T>(T result, long millis, long cpuMillis, long allocatedBytes) {

    public static <T> Cost<T> of(Supplier<T> work) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        T result = work.get();
        long millis = (System.nanoTime() - started) / 1_000_000;
        long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
        return new Cost<>(result, millis, cpuMillis, threads.getTotalThreadAllocatedBytes() - allocatedBefore);
    }

    public long allocatedMegabytes() {
        return allocatedBytes >> 20;
    }

    @Override
    public String toString() {
        return millis + " ms (" + cpuMillis + " ms CPU in the JVM), " + allocatedMegabytes() + " MB allocated in the JVM";
    }
}
