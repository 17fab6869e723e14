package fr.publipostage.db;

import fr.publipostage.Config;
import java.util.Map;

/**
 * The embedded default with server settings of the test's choosing (benchmarks compare durable and
 * fast settings). Test code only: the application has no way to turn durability off.
 */
public final class TestEmbedded {
    private TestEmbedded() {
    }

    public static Database open(Config config, Map<String, String> serverSettings) {
        return Database.open(config, e -> { throw new IllegalStateException(e.getMessage(), e); }, serverSettings);
    }
}
