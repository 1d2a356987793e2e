package dev.loupe.common.util;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/** Many blocking calls at once (on virtual threads), at most a given number in flight. */
public final class Concurrently {

    /** One blocking call for one key. */
    @FunctionalInterface
    public interface Call<K, V> {
        V apply(K key) throws Exception;
    }

    private Concurrently() {
    }

    /**
     * Calls {@code call} for every key, at most {@code concurrency} at a time, and waits for all.
     *
     * @return for every key its value, or the exception its call threw
     */
    public static <K, V> Map<K, Object> callAll(Collection<K> keys, int concurrency, Call<K, V> call)
            throws InterruptedException {
        Map<K, Object> result = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(Math.max(1, concurrency));
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (K key : keys) {
                slots.acquire();
                threads.execute(() -> {
                    try {
                        result.put(key, call.apply(key));
                    } catch (Exception e) {
                        result.put(key, e);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        return result;
    }
}
