package dev.loupe.common.util;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConcurrentlyTest {

    @Test
    void everyKeyGetsItsValueOrItsFailureAndNoMoreThanTheLimitRunAtOnce() throws InterruptedException {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Integer> keys = IntStream.range(0, 40).boxed().toList();
        Map<Integer, Object> result = Concurrently.callAll(keys, 3, key -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
                if (key % 10 == 7) {
                    throw new IOException("no " + key);
                }
                return key * 2;
            } finally {
                inFlight.decrementAndGet();
            }
        });
        assertEquals(40, result.size());
        assertEquals(26, result.get(13));
        assertInstanceOf(IOException.class, result.get(17));
        assertEquals("no 17", ((IOException) result.get(17)).getMessage());
        assertTrue(most.get() <= 3, "at most 3 at once, saw " + most.get());
        assertTrue(most.get() > 1, "calls overlap, saw " + most.get());
    }
}
