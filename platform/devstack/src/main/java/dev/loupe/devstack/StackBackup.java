package dev.loupe.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code ./loupe backup FILE} and {@code ./loupe restore FILE} for the embedded stack.
 *
 * <p><b>Backup</b> is PostgreSQL's own online base backup (the low-level API): {@code pg_backup_start}, a copy of the
 * cluster's files while the services keep writing, {@code pg_backup_stop}, then the write-ahead log from the backup's
 * start to its end, held back for the copy by a temporary replication slot. Restored, PostgreSQL replays that log to
 * the moment of {@code pg_backup_stop}: every schema (labels, images, embeddings, splits, versions, runs) as of one
 * instant, consistent across services. Without a running stack the database is started for the backup and stopped.</p>
 *
 * <p><b>Restore</b> needs the stack stopped. It sets the current database and broker data aside (renamed, never
 * deleted), puts the backup's cluster in place, lets PostgreSQL replay it, and marks every retained outbox event
 * unpublished. The broker starts empty, so the events that were in flight at backup time, published but not yet
 * consumed, are sent again; each consumer's processed-event log (restored with it) skips those it had applied. The
 * services then bring their derived state (embeddings, map, splits) up to the restored data by themselves.</p>
 */
public final class StackBackup {

    /** The archive's description; its presence and format mark a Loupe backup. */
    static final String MANIFEST = "loupe-backup.properties";
    static final String FORMAT = "loupe-embedded-stack-1";
    static final String PGDATA = "pgdata/";
    static final String STACK_FILES = "stack/";
    /** The data directory's own files that belong to the installation (service secrets), kept with the data. */
    static final List<String> KEPT_STACK_FILES = List.of("secrets.env", ".admin-created", ".demo-seeded");
    /** Directories whose contents a base backup leaves out (PostgreSQL's documentation), recreated empty on restore. */
    private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "backup_label.old", "pg_internal.init", "epg-lock");
    private static final String SLOT = "loupe_backup";

    private final Path dataDir;

    public StackBackup(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static void main(String[] args) {
        if (args.length != 2 || !Set.of("backup", "restore").contains(args[0])) {
            System.err.println("usage: StackBackup backup|restore FILE");
            System.exit(2);
        }
        StackBackup stack = new StackBackup(Path.of(System.getenv().getOrDefault(DevStack.DATA_DIR_ENV, "./.loupe-data")));
        try {
            Path file = Path.of(args[1]).toAbsolutePath();
            Summary summary = args[0].equals("backup") ? stack.backup(file) : stack.restore(file);
            summary.lines().forEach(System.out::println);
        } catch (BackupException e) {
            System.err.println("loupe " + args[0] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** What a backup or restore did, as lines for the terminal. */
    public record Summary(List<String> lines) {
    }

    /** A refusal or failure with a message for the user; nothing was changed when it says so. */
    public static final class BackupException extends RuntimeException {
        public BackupException(String message) {
            super(message);
        }

        public BackupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ---------------------------------------------------------------- backup

    /** Writes a consistent backup of the embedded stack's database (and its installation files) to {@code file}. */
    public Summary backup(Path file) {
        requireNew(file);
        Map<String, String> running = runningStack();
        if (running != null) {
            return backup(file, running.get("LOUPE_DB_URL"), running.get("LOUPE_DB_USER"), running.get("LOUPE_DB_PASSWORD"));
        }
        requireCluster();
        try (EmbeddedPostgresServer started = EmbeddedPostgresServer.start(0, dataDir.resolve("postgres"), true)) {
            return backup(file, started.jdbcUrl(DevStack.DATABASE), started.username(), started.password());
        }
    }

    /** The same, from the stack's database server running at {@code url} (on this data directory's cluster). */
    public Summary backup(Path file, String url, String user, String password) {
        requireNew(file);
        Path cluster = requireCluster();
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            Summary summary = backup(c, cluster, partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (SQLException e) {
            throw new BackupException("the database refused the backup: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BackupException("writing " + file + " failed: " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                System.err.println("could not delete " + partial + ": " + e.getMessage());
            }
        }
    }

    private static void requireNew(Path file) {
        if (Files.exists(file)) {
            throw new BackupException(file + " exists; name a new file (a backup never overwrites one)");
        }
    }

    private Path requireCluster() {
        Path cluster = cluster();
        if (!Files.isRegularFile(cluster.resolve("PG_VERSION"))) {
            throw new BackupException("no embedded database in " + cluster + " (LOUPE_DATA_DIR=" + dataDir
                    + "); nothing to back up");
        }
        return cluster;
    }

    private Summary backup(Connection c, Path cluster, Path partial) throws SQLException, IOException {
        Map<String, Long> counts = counts(c);
        String serverVersion = single(c, "SHOW server_version");
        long bytes = 0;
        String labelFile;
        String mapFile;
        String startLsn;
        String stopLsn;
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Statement s = c.createStatement();
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
            // the slot keeps every WAL segment from here on until this session ends, so the copy's log is complete
            s.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "_" + ProcessHandle.current().pid()
                    + "', true, true)");
            startLsn = single(c, "SELECT pg_backup_start('loupe', true)");
            for (Path f : files(cluster)) {
                if (Files.isDirectory(f)) {
                    // every directory, empty ones too: PostgreSQL needs pg_tblspc, pg_twophase, ... to start
                    zip.putNextEntry(new ZipEntry(PGDATA + cluster.relativize(f) + "/"));
                    zip.closeEntry();
                } else {
                    bytes += copy(zip, PGDATA + cluster.relativize(f), f);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT lsn, labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                r.next();
                stopLsn = r.getString(1);
                labelFile = r.getString(2);
                mapFile = r.getString(3);
            }
            // the log: every segment there now (the slot kept those from the start); the last one holds the stop
            try (Stream<Path> wal = Files.list(cluster.resolve("pg_wal"))) {
                for (Path f : wal.filter(Files::isRegularFile).sorted().toList()) {
                    bytes += copy(zip, PGDATA + "pg_wal/" + f.getFileName(), f);
                }
            }
            put(zip, PGDATA + "backup_label", labelFile);
            if (mapFile != null && !mapFile.isEmpty()) {
                put(zip, PGDATA + "tablespace_map", mapFile);
            }
            for (String name : KEPT_STACK_FILES) {
                Path f = dataDir.resolve(name);
                if (Files.isRegularFile(f)) {
                    copy(zip, STACK_FILES + name, f);
                }
            }
            Properties manifest = new Properties();
            manifest.setProperty("format", FORMAT);
            manifest.setProperty("createdAt", Instant.now().toString());
            manifest.setProperty("postgresVersion", serverVersion);
            manifest.setProperty("startLsn", startLsn);
            manifest.setProperty("stopLsn", stopLsn);
            counts.forEach((k, v) -> manifest.setProperty("count." + k, String.valueOf(v)));
            zip.putNextEntry(new ZipEntry(MANIFEST));
            manifest.store(zip, "Loupe backup of the embedded stack (./loupe restore FILE)");
            zip.closeEntry();
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("backup of the embedded stack's database (PostgreSQL %s): %,d MB of files, WAL %s to %s",
                serverVersion, bytes >> 20, startLsn, stopLsn));
        counts.forEach((k, v) -> lines.add(String.format("  %-28s %,d", k, v)));
        long inBucket = counts.getOrDefault("images in a bucket", 0L);
        if (inBucket > 0) {
            lines.add("  NOTE: " + inBucket + " images live in the S3 bucket, not in the database: back the bucket up too");
        }
        return new Summary(lines);
    }

    /** What the backup holds, for the summary and the manifest (a restore prints the same counts to compare). */
    static Map<String, Long> counts(Connection c) throws SQLException {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("projects", "SELECT count(*) FROM label.project");
        queries.put("items", "SELECT count(*) FROM label.item");
        queries.put("images in the database", "SELECT count(*) FROM label.blob WHERE store = 'postgres'");
        queries.put("images in a bucket", "SELECT count(*) FROM label.blob WHERE store <> 'postgres'");
        queries.put("label changes", "SELECT count(*) FROM label.item_change");
        queries.put("vectors", "SELECT count(*) FROM embedding.vector");
        queries.put("dataset versions", "SELECT count(*) FROM dataset.dataset_version");
        Map<String, Long> counts = new LinkedHashMap<>();
        for (var q : queries.entrySet()) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(q.getValue())) {
                r.next();
                counts.put(q.getKey(), r.getLong(1));
            } catch (SQLException e) {
                // a schema that no service has created yet (a stack that never ran all five): not counted
            }
        }
        return counts;
    }

    /**
     * The cluster's directories and files in a base backup: every directory, and every file but the runtime ones and
     * those inside the directories whose contents a base backup leaves out.
     */
    private static List<Path> files(Path cluster) throws IOException {
        List<Path> files = new ArrayList<>();
        walk(cluster, cluster, files);
        return files;
    }

    private static void walk(Path cluster, Path dir, List<Path> files) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    if (!name.startsWith("pgsql_tmp")) {
                        files.add(p);
                        if (!(dir.equals(cluster) && EMPTY_DIRS.contains(name))) {
                            walk(cluster, p, files);
                        }
                    }
                } else if (!SKIPPED_FILES.contains(name) && !name.startsWith("pgsql_tmp")) {
                    files.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            // a directory dropped while the backup runs (a dropped database or table): the log replays the drop
        }
    }

    /** Copies a file that may change or vanish while it is read (the log replay repairs torn pages); its size. */
    private static long copy(ZipOutputStream zip, String name, Path file) throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
        try (in) {
            zip.putNextEntry(new ZipEntry(name));
            long n = in.transferTo(zip);
            zip.closeEntry();
            return n;
        }
    }

    private static void put(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    // ---------------------------------------------------------------- restore

    /**
     * Replaces the embedded stack's database with the backup's (the stack must be stopped). The current database and
     * broker data are renamed aside, not deleted.
     */
    public Summary restore(Path file) {
        if (runningStack() != null) {
            throw new BackupException("the stack is running (" + dataDir.resolve("devstack.env")
                    + " exists): stop ./loupe up first; nothing was changed");
        }
        if (!Files.isRegularFile(file)) {
            throw new BackupException("no backup at " + file + "; nothing was changed");
        }
        List<String> lines = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Properties manifest = manifest(zip, file);
            // check every name before anything is written: a name leaving the cluster is refused
            List<? extends ZipEntry> entries = zip.stream().toList();
            for (ZipEntry e : entries) {
                String name = e.getName();
                if (!name.equals(MANIFEST) && !name.startsWith(PGDATA) && !name.startsWith(STACK_FILES)
                        || name.contains("..") || name.startsWith("/") || name.contains("\\")) {
                    throw new BackupException(file + " holds an entry named " + name
                            + ", which no Loupe backup has; nothing was changed");
                }
            }
            String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
            Path pgRoot = dataDir.resolve("postgres");
            Path cluster = cluster();
            Path staged = pgRoot.resolve("data.restoring-" + stamp);
            Files.createDirectories(staged);
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rwx------"));
            for (ZipEntry e : entries) {
                if (e.getName().startsWith(PGDATA)) {
                    Path target = staged.resolve(e.getName().substring(PGDATA.length())).normalize();
                    if (!target.startsWith(staged)) {
                        throw new BackupException(file + " holds an entry outside the cluster: " + e.getName());
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(e); OutputStream out = Files.newOutputStream(target)) {
                        in.transferTo(out);
                    }
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
                }
            }
            for (String dir : EMPTY_DIRS) {
                Files.createDirectories(staged.resolve(dir));
            }
            Files.createDirectories(staged.resolve("pg_wal/archive_status"));
            try (Stream<Path> all = Files.walk(staged)) {
                for (Path d : all.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                }
            }
            // only now is anything of the installation touched: the current data goes aside, the backup's in place
            if (Files.exists(cluster)) {
                Path aside = pgRoot.resolve("data.before-restore-" + stamp);
                Files.move(cluster, aside);
                lines.add("the database before the restore is kept in " + aside + " (delete it when you no longer need it)");
            }
            Files.move(staged, cluster);
            Path kafka = dataDir.resolve("kafka");
            if (Files.exists(kafka)) {
                Path aside = dataDir.resolve("kafka.before-restore-" + stamp);
                Files.move(kafka, aside);
                lines.add("the broker's data before the restore is kept in " + aside + "; the broker starts empty");
            }
            for (ZipEntry e : entries) {
                if (e.getName().startsWith(STACK_FILES) && !e.isDirectory()) {
                    Path target = dataDir.resolve(e.getName().substring(STACK_FILES.length()));
                    try (InputStream in = zip.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
                }
            }
            lines.addAll(0, recover(manifest));
        } catch (java.util.zip.ZipException e) {
            throw new BackupException(file + " is not a Loupe backup (not a zip: " + e.getMessage() + "); nothing was changed", e);
        } catch (FileAlreadyExistsException e) {
            throw new BackupException("a restore is already staged at " + e.getFile() + "; remove it and retry", e);
        } catch (IOException e) {
            throw new BackupException("restoring from " + file + " failed: " + e.getMessage(), e);
        }
        lines.add("restored; start the stack with ./loupe up: the services catch up with the restored data by themselves");
        return new Summary(lines);
    }

    /** Starts the restored cluster (PostgreSQL replays the backup's log), marks outbox events for re-sending, stops. */
    private List<String> recover(Properties manifest) {
        List<String> lines = new ArrayList<>();
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, dataDir.resolve("postgres"), true);
             Connection c = DriverManager.getConnection(pg.jdbcUrl(DevStack.DATABASE), pg.username(), pg.password())) {
            lines.add("restored the backup of " + manifest.getProperty("createdAt") + " (PostgreSQL "
                    + manifest.getProperty("postgresVersion") + ")");
            Map<String, Long> counts = counts(c);
            counts.forEach((k, v) -> lines.add(String.format("  %-28s %,d", k, v)));
            c.setAutoCommit(false);
            long resent = 0;
            List<String> schemas = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                    "SELECT table_schema FROM information_schema.tables WHERE table_name = 'outbox_event' ORDER BY 1")) {
                while (r.next()) {
                    schemas.add(r.getString(1));
                }
            }
            for (String schema : schemas) {
                try (Statement s = c.createStatement()) {
                    resent += s.executeUpdate("UPDATE \"" + schema.replace("\"", "\"\"")
                            + "\".outbox_event SET published_at = NULL WHERE published_at IS NOT NULL");
                }
            }
            c.commit();
            lines.add(String.format("  %,d retained events of %d services will be sent again (consumers skip those they applied)",
                    resent, schemas.size()));
            return lines;
        } catch (SQLException e) {
            throw new BackupException("the restored database did not start cleanly: " + e.getMessage(), e);
        }
    }

    private static Properties manifest(ZipFile zip, Path file) throws IOException {
        ZipEntry entry = zip.getEntry(MANIFEST);
        if (entry == null) {
            throw new BackupException(file + " is not a Loupe backup (no " + MANIFEST + "); nothing was changed");
        }
        Properties manifest = new Properties();
        try (InputStream in = zip.getInputStream(entry)) {
            manifest.load(in);
        }
        if (!FORMAT.equals(manifest.getProperty("format"))) {
            throw new BackupException(file + " is a backup in format " + manifest.getProperty("format") + ", this Loupe reads "
                    + FORMAT + "; nothing was changed");
        }
        return manifest;
    }

    // ---------------------------------------------------------------- the stack

    private Path cluster() {
        return dataDir.resolve("postgres").resolve("data");
    }

    /**
     * The running stack's connection settings, or null: devstack.env exists while it runs, and its database's port
     * answers (a stack killed outright leaves the file behind).
     */
    private Map<String, String> runningStack() {
        Path env = dataDir.resolve("devstack.env");
        if (!Files.isRegularFile(env)) {
            return null;
        }
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String line : Files.readAllLines(env)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    settings.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            java.util.regex.Matcher port = java.util.regex.Pattern.compile("//[^:/]+:(\\d+)/")
                    .matcher(settings.getOrDefault("LOUPE_DB_URL", ""));
            return port.find() && !Ports.isFree(Integer.parseInt(port.group(1))) ? settings : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
