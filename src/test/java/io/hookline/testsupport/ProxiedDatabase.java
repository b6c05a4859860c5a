package io.hookline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.util.Map;

/**
 * Puts a {@link TcpProxy} between the service and its database (the embedded one, or QUARKUS_DATASOURCE_JDBC_URL),
 * so a test can take the database away and give it back.
 */
public class ProxiedDatabase implements QuarkusTestResourceLifecycleManager {
    public static volatile TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (url == null || url.isBlank()) {
            url = io.hookline.devdb.EmbeddedPostgres.start("test");
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        proxy = new TcpProxy(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432);
        proxy.start();
        String proxied = url.replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        return Map.of("quarkus.datasource.jdbc.url", proxied);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.cut();
        }
    }
}
