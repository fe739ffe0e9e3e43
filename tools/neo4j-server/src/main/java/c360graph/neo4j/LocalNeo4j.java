package c360graph.neo4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community embedded, as `c360 db start` wants it (c360graph/db/neo4j_server.py).
 *
 * <p>Usage: LocalNeo4j HOME CONF PLUGINS DATABASE BOLT HTTP PASSWORD_FILE, where BOLT and HTTP are
 * host:port (c360graph passes 127.0.0.1 only; HTTP "off": no HTTP). The password comes from a 0600 file so it never shows in `ps`, and is set only when
 * the store is created (as ArcadeDB's root password is). Embedded defaults differ from the
 * server's (Bolt, HTTP and auth are off), so all three are set here; the rest is in CONF.
 * SIGTERM runs the shutdown hook, which closes the store cleanly.
 */
public final class LocalNeo4j {
    private LocalNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: LocalNeo4j HOME CONF PLUGINS DATABASE BOLT HTTP PASSWORD_FILE");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        if (!Files.isDirectory(home.resolve("data/databases/system"))) {
            // A new store has neo4j/neo4j: set the password before any port opens.
            DatabaseManagementService once = builder(args, false).build();
            setPassword(once, Files.readString(Path.of(args[6])).strip());
            once.shutdown();
        }
        DatabaseManagementService dbms = builder(args, true).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dbms.shutdown();
            stopped.countDown();
        }, "c360-shutdown"));
        // c360graph waits for a real query, not for this line; it is for the log.
        System.out.println("c360 local Neo4j listening: bolt " + args[4] + ", http " + args[5]);
        stopped.await();
    }

    private static DatabaseManagementServiceBuilder builder(String[] args, boolean listen) {
        SocketAddress bolt = address(args[4]);
        boolean http = !"off".equals(args[5]);
        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(Path.of(args[0]))
                .loadPropertiesFromFile(Path.of(args[1]))
                // The password-only first start needs no procedures: an empty folder is quicker.
                .setConfig(GraphDatabaseSettings.plugin_dir, Path.of(listen ? args[2] : args[0] + "/plugins"))
                // Community has one user database; its name is fixed when the store is created.
                .setConfig(GraphDatabaseSettings.initial_default_database, args[3])
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(BoltConnector.enabled, listen)
                .setConfig(BoltConnector.listen_address, bolt)
                .setConfig(BoltConnector.advertised_address, bolt)
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(HttpConnector.enabled, listen && http);
        if (http) {
            builder.setConfig(HttpConnector.listen_address, address(args[5]))
                    .setConfig(HttpConnector.advertised_address, address(args[5]));
        }
        return builder;
    }

    private static SocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new SocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    /** Replaces the default neo4j/neo4j (change required) with the generated password. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
    }
}
