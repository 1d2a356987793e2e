package dev.loupe.devstack;

import java.nio.file.Path;

/**
 * The embedded Kafka broker as a process of its own, for tests that kill it (SIGKILL), freeze it (SIGSTOP) and start
 * it again on the same ports and data: {@code BrokerMain <port> <controller port> <data dir>}. Prints
 * {@value #READY} once it serves clients; SIGTERM stops it cleanly.
 */
public final class BrokerMain {

    public static final String READY = "BROKER READY";

    private BrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: BrokerMain <port> <controller port> <data dir>");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Path.of(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "broker-shutdown"));
        System.out.println(READY + " " + kafka.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join();
    }
}
