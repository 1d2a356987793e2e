package dev.loupe.dataset.webhook;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: each test takes its own path, scripts the answers (status
 * codes in order; the last one repeats) and reads back every request it got.
 */
final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String path, Headers headers, byte[] body, long receivedNanos) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Integer>> script = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, List<Request>> received = new ConcurrentHashMap<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    /** A new path answering {@code statuses} in turn, the last one from then on. */
    String path(Integer... statuses) {
        String path = "/hooks/" + UUID.randomUUID();
        script.put(path, new ConcurrentLinkedDeque<>(List.of(statuses)));
        received.put(path, new CopyOnWriteArrayList<>());
        return path;
    }

    /** Makes {@code path} wait this long before it answers. */
    void delay(String path, Duration delay) {
        delays.put(path, delay);
    }

    /** From now on {@code path} answers {@code status}. */
    void answer(String path, int status) {
        Deque<Integer> statuses = script.get(path);
        statuses.clear();
        statuses.add(status);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests(String path) {
        return new ArrayList<>(received.getOrDefault(path, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>())
                    .add(new Request(path, exchange.getRequestHeaders(), body, System.nanoTime()));
            Duration delay = delays.get(path);
            if (delay != null) {
                Thread.sleep(delay);
            }
            Deque<Integer> statuses = script.get(path);
            int status = statuses == null ? 404 : statuses.size() > 1 ? statuses.poll() : statuses.peek();
            if (status >= 300 && status < 400) {
                exchange.getResponseHeaders().add("Location", "/elsewhere");
            }
            exchange.sendResponseHeaders(status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
