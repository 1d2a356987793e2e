package dev.loupe.e2e.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floors Loupe's pipeline sits on, measured on the same broker and database in the same run: a bare Kafka
 * producer-to-consumer round trip with records the size of Loupe's events and the producer settings of its outbox
 * relay, and a bare PostgreSQL update-and-commit loop over a table as large as the project.
 */
public final class FloorPeers {

    /** Records (or changes) per second and the single-record latency, p50 and p95 in ms. */
    public record Floor(double perSecond, double p50Millis, double p95Millis) {
    }

    /** One change per commit (rate and latency), and changes in batches per commit (rate). */
    public record PostgresFloor(Floor singleCommits, double batchedPerSecond) {
    }

    private FloorPeers() {
    }

    /**
     * Sends {@code records} records of {@code payloadBytes} each (acks=all, idempotent, linger 2 ms, like the outbox
     * relay) to a new topic with {@code partitions} partitions while one consumer reads them: records/s from the first
     * send to the last read. Then {@code singles} records one at a time, each waited for at the consumer: latency.
     */
    public static Floor kafka(String bootstrap, int partitions, int records, int payloadBytes, int singles) throws Exception {
        String topic = "bench.floor." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        String payload = "x".repeat(payloadBytes);
        Map<String, Object> producerConfig = Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true,
                "linger.ms", 2, "max.in.flight.requests.per.connection", 5);
        Map<String, Object> consumerConfig = Map.of("bootstrap.servers", bootstrap, "group.id", "bench-floor-" + UUID.randomUUID(),
                "auto.offset.reset", "earliest", "enable.auto.commit", "false", "max.poll.records", 500);
        AtomicLong read = new AtomicLong();
        AtomicLong lastReadAt = new AtomicLong();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(50));
            }
            Map<String, Long> sentAt = new java.util.concurrent.ConcurrentHashMap<>();
            Map<String, Long> seenAt = new java.util.concurrent.ConcurrentHashMap<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(5))) {
                            long now = System.nanoTime();
                            read.incrementAndGet();
                            lastReadAt.set(now);
                            if (r.key().startsWith("single-")) {
                                seenAt.put(r.key(), now);
                            }
                        }
                    }
                } catch (org.apache.kafka.common.errors.InterruptException e) {
                    // measured: stopped
                }
            });
            try {
                long start = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, "key-" + (i % 2880), payload));
                }
                producer.flush();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (read.get() < records && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (read.get() < records) {
                    throw new AssertionError("the Kafka floor read " + read.get() + " of " + records + " records");
                }
                double perSecond = records / ((lastReadAt.get() - start) / 1e9);
                double[] latency = new double[singles];
                for (int i = 0; i < singles; i++) {
                    String key = "single-" + i;
                    long t0 = System.nanoTime();
                    producer.send(new ProducerRecord<>(topic, key, payload));
                    sentAt.put(key, t0);
                    while (!seenAt.containsKey(key)) {
                        Thread.onSpinWait();
                        if (System.nanoTime() - t0 > Duration.ofSeconds(30).toNanos()) {
                            throw new AssertionError("the Kafka floor never read " + key);
                        }
                    }
                    latency[i] = (seenAt.get(key) - t0) / 1e6;
                }
                return new Floor(perSecond, Stats.pct(latency, 50), Stats.pct(latency, 95));
            } finally {
                reader.interrupt();
                reader.join();
            }
        }
    }

    /**
     * A table of {@code rows} rows like a project's items; first {@code singles} single-row UPDATE-and-COMMIT
     * transactions, one at a time (latency, and the rate of one change per commit), then {@code changes} updates in
     * JDBC batches of {@code batch} per commit (the rate of bulk changes).
     */
    public static PostgresFloor postgres(String jdbcUrl, String user, String password, int rows, int singles, int changes, int batch)
            throws Exception {
        String table = "bench_floor_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE public." + table + " (id int PRIMARY KEY, label text NOT NULL, version bigint NOT NULL)");
                s.execute("INSERT INTO public." + table + " SELECT g, 'i', 0 FROM generate_series(0, " + (rows - 1) + ") g");
            }
            c.setAutoCommit(false);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE public." + table + " SET label = ?, version = version + 1 WHERE id = ?")) {
                double[] latency = new double[singles];
                long singleStart = System.nanoTime();
                for (int i = 0; i < singles; i++) {
                    long t0 = System.nanoTime();
                    update.setString(1, "l" + (i % 10));
                    update.setInt(2, (i * 7919) % rows);
                    update.executeUpdate();
                    c.commit();
                    latency[i] = (System.nanoTime() - t0) / 1e6;
                }
                double singleRate = singles / ((System.nanoTime() - singleStart) / 1e9);
                long start = System.nanoTime();
                for (int i = 0; i < changes; i++) {
                    update.setString(1, "l" + (i % 10));
                    update.setInt(2, i % rows);
                    update.addBatch();
                    if ((i + 1) % batch == 0 || i == changes - 1) {
                        update.executeBatch();
                        c.commit();
                    }
                }
                double perSecond = changes / ((System.nanoTime() - start) / 1e9);
                return new PostgresFloor(new Floor(singleRate, Stats.pct(latency, 50), Stats.pct(latency, 95)), perSecond);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE public." + table);
                }
            }
        }
    }
}
