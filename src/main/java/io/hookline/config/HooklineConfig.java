package io.hookline.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code hookline.*} configuration key, with its default. Its rules are checked by {@link ConfigRules} while the
 * configuration is built: the service does not start when a value breaks one, and SmallRye Config lists every broken
 * rule, one line per key, such as {@code hookline.dispatcher.batch-size must be between 1 and 1000 (was 5000)}. The
 * master key is checked where the key ring is built ({@code io.hookline.crypto.CryptoProducer}): whether it is
 * required depends on the launch mode. The README's configuration table mirrors this interface and its rules.
 */
@ConfigMapping(prefix = "hookline")
public interface HooklineConfig {

    /** Name of the access-token claim that holds the tenant. A token without it gets 403. */
    @WithDefault("tenant")
    String tenantClaim();

    /**
     * Role of a platform's backend (from groups, or Keycloak realm/client roles, like the admin role): a token with it
     * acts for any tenant, named in the {@code Hookline-Tenant} header.
     */
    @WithDefault("hookline-platform")
    String platformRole();

    Secrets secrets();

    Delivery delivery();

    Dispatcher dispatcher();

    Events events();

    interface Secrets {
        /**
         * Master key ring: comma-separated base64 AES-256 keys (32 bytes each). The first encrypts new secrets,
         * all of them decrypt, so a key is rotated by putting the new one first and keeping the old one until
         * every secret has been rotated. Required in production.
         */
        Optional<String> masterKey();
    }

    interface Delivery {
        /** Connect + total timeout of one delivery attempt. */
        @WithDefault("10s")
        Duration timeout();

        /** Delays before the 2nd, 3rd, … attempt; after the last one the delivery is failed. */
        @WithDefault("5s,5m,30m,2h,5h,10h,10h")
        List<Duration> retrySchedule();

        /** Random spread applied to every retry delay: 0.2 means ±20 %. */
        @WithDefault("0.2")
        double retryJitter();

        /** Prefix of Hookline's own delivery headers: X-Hookline-Signature, X-Hookline-Delivery, X-Hookline-Event. */
        @WithDefault("X-Hookline")
        String headerPrefix();

        /** User-Agent of every delivery request. */
        @WithDefault("Hookline/0.1")
        String userAgent();

        /**
         * Allow http:// targets and private, loopback, link-local and metadata addresses. Off in production: a
         * customer's URL must never reach the platform's own network.
         */
        @WithDefault("false")
        boolean allowPrivateNetworks();

        /** Requests in flight at once, over all webhooks (per replica). */
        @WithDefault("256")
        int maxInFlight();

        /**
         * Ceiling of one webhook's adaptive concurrency limit (requests in flight at once to it, per replica). Each
         * endpoint's limit starts at {@link #initialConcurrencyPerWebhook()}, grows while its answers stay fast and
         * successful and shrinks on timeouts, 429, 503, refused connections and rising latency; it never exceeds this,
         * nor the webhook's own {@code maxConcurrency}. Also the size of the connection pool per receiving host. When
         * absent, the deprecated {@link #maxInFlightPerWebhook()} is used if set, else 128 (see {@link
         * DeliveryLimits}).
         */
        Optional<Integer> maxConcurrencyPerWebhook();

        /**
         * Deprecated: the fixed per-webhook limit before limits became adaptive. Still honoured as the ceiling
         * ({@code max-concurrency-per-webhook}) when that key is not set, with a warning at start-up.
         */
        Optional<Integer> maxInFlightPerWebhook();

        /** Where each webhook's adaptive concurrency limit starts (capped by the ceiling). */
        @WithDefault("16")
        int initialConcurrencyPerWebhook();

        /** A webhook is disabled when all its attempts have failed for this long… */
        @WithDefault("5d")
        Duration disableAfter();

        /** …or after this many consecutive failed deliveries (0 = no count limit). */
        @WithDefault("0")
        int disableAfterFailures();
    }

    interface Dispatcher {
        /** Whether this replica claims and sends deliveries. */
        @WithDefault("true")
        boolean enabled();

        /**
         * {@code scheduled}: the replica dispatches continuously (poll + NOTIFY). {@code on-demand}: it dispatches only
         * while POST /v1/admin/dispatch runs, so a cron trigger can drive a scale-to-zero deployment.
         */
        @WithDefault("scheduled")
        Mode mode();

        /** Role required by POST /v1/admin/dispatch (from groups, or Keycloak realm/client roles). */
        @WithDefault("hookline-admin")
        String adminRole();

        /** Longest drain one POST /v1/admin/dispatch may ask for. */
        @WithDefault("5m")
        Duration maxDrain();

        enum Mode {
            SCHEDULED,
            ON_DEMAND
        }

        /** Fallback poll interval; a NOTIFY from the publish transaction wakes the dispatcher sooner. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Deliveries claimed by one statement. */
        @WithDefault("100")
        int batchSize();

        /** Extra time a claim stays leased beyond the delivery timeout before another replica may take it. */
        @WithDefault("30s")
        Duration leaseMargin();

        /** On shutdown, how long in-flight sends may finish before the replica exits. */
        @WithDefault("20s")
        Duration shutdownGrace();
    }

    @WithName("token-cache")
    TokenCache tokenCache();

    /**
     * Access tokens already verified (signature, issuer, expiry: quarkus-oidc's checks, all of them) are remembered
     * per replica, keyed by the whole token, so a client that sends the same token with every request is not verified
     * again each time (a quarter of POST /v1/events's CPU was quarkus-oidc's verification). An entry lives until the
     * token's {@code exp} (sooner with {@code quarkus.oidc.token.age}), at most {@code max-age}. Tokens checked with
     * the provider (introspection, userinfo) or bound to a certificate or DPoP proof are never remembered.
     */
    interface TokenCache {
        /** Tokens remembered per replica (least recently used dropped first); 0 turns the cache off. */
        @WithDefault("10000")
        int size();

        /**
         * Longest an entry is used, whatever the token's own expiry: bounds how long a token stays accepted after the
         * provider stops publishing its signing key (quarkus-oidc re-reads the key set only for an unknown key id).
         */
        @WithDefault("60s")
        Duration maxAge();
    }

    Metrics metrics();

    interface Metrics {
        /**
         * Add a tenant label to hookline_deliveries_total. Off by default: every tenant adds a time series, so only turn
         * it on with a bounded number of tenants.
         */
        @WithDefault("false")
        boolean tenantLabel();
    }

    interface Events {
        /** Largest accepted JSON body of POST /v1/events (the whole envelope). */
        @WithDefault("262144")
        int maxPayloadBytes();

        /**
         * Most events in one POST /v1/events/batch; more is a 422 for the whole request. The batch's body is bounded by
         * quarkus.http.limits.max-body-size like every request's (1M: about 1,000 events of 1 KiB).
         */
        @WithDefault("1000")
        int batchMaxItems();
    }

    /** Inbound sources, {@code POST /ingest/{sourceId}} (see {@code io.hookline.service.IngestService}). */
    Ingest ingest();

    interface Ingest {
        /**
         * How far a signed timestamp (Stripe's {@code t=}, Standard Webhooks' {@code webhook-timestamp}) may be from
         * now, either way; an older or later one is refused as a replay. 300 s is what Stripe's libraries use.
         */
        @WithDefault("300s")
        Duration tolerance();

        /**
         * The public base URL that a source's {@code ingestUrl} starts with (e.g. {@code https://hooks.example.com});
         * unset: the base URL the API was called with.
         */
        Optional<String> publicUrl();

        /**
         * How often each replica looks for requests that were stored and answered but not yet published (a replica
         * died in between, or the database failed the publish); normally each is published right after its answer.
         */
        @WithDefault("10s")
        Duration sweepInterval();

        /** Finished ingest log entries are deleted this long after they were received (by the retention job). */
        @WithDefault("30d")
        Duration logRetention();
    }

    /** The event feed, GET /v1/events (see {@code io.hookline.service.EventFeed}). */
    Feed feed();

    interface Feed {
        /**
         * How often a replica with long polls waiting checks whether the feed's horizon moved (one query for all of
         * them; none while nobody waits). It bounds how late a waiting poll sees an event published on another
         * replica, or one held back behind an older transaction; a publish on the same replica wakes its tenant's
         * polls at once. A waiting poll reads again at most this often.
         */
        @WithDefault("200ms")
        Duration pollInterval();
    }

    /** Deleting finished deliveries and orphaned events (see {@code io.hookline.retention}). */
    Retention retention();

    /** Per-tenant API rate limits (see {@code io.hookline.ratelimit}). */
    // Named explicitly: SmallRye Config names a group in a validation message by its method name, not its key
    // ("hookline.rateLimit.burst" instead of "hookline.rate-limit.burst"); an explicit name is used as written.
    @WithName("rate-limit")
    RateLimit rateLimit();

    /** Bounds of POST /v1/webhooks/{id}/test (see {@code io.hookline.service.TestSendLimits}). */
    @WithName("test-send")
    TestSend testSend();

    interface TestSend {
        /**
         * Test sends in progress at once on one replica, over all tenants; beyond it 429. A send in progress holds no
         * thread, only a socket and its 4 KiB answer buffer, so the bound is about sharing the outbound HTTP client
         * with deliveries: 64 is a quarter of {@code delivery.max-in-flight} (256), and 16 tenants at their own bound
         * fill it.
         */
        @WithDefault("64")
        int maxConcurrent();

        /**
         * Test sends in progress at once for one tenant, per replica; beyond it 429. A test send is a person or a
         * deploy check trying an endpoint: 4 lets a tenant try four endpoints side by side, while a flood from one
         * tenant takes at most 4 of the replica's 64 slots.
         */
        @WithDefault("4")
        int maxConcurrentPerTenant();
    }

    interface Retention {
        /**
         * Whether this replica runs the retention job. Any number of replicas may: an advisory lock lets one run at a
         * time and the others skip.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often the job runs. At least 1s (the scheduler's resolution). */
        @WithDefault("1h")
        Duration interval();

        /** Succeeded deliveries (and their attempts) are deleted this long after they completed. */
        @WithDefault("30d")
        Duration succeeded();

        /**
         * Failed and cancelled deliveries (and their attempts) are deleted this long after they completed. Events
         * older than the longer of this and {@code succeeded} are deleted once no delivery refers to them.
         */
        @WithDefault("90d")
        Duration failed();

        /** Rows deleted by one statement (one short transaction). */
        @WithDefault("1000")
        int batchSize();

        /** A run stops after this long; what is left is deleted by the next run. */
        @WithDefault("5m")
        Duration timeBudget();
    }

    interface RateLimit {
        /** Whether /v1 requests are rate limited per tenant. The limit is per replica: N replicas allow N times it. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Sustained rate: tokens added to a tenant's bucket per second (may be fractional, e.g. 0.5). The default
         * stops a runaway client without throttling a busy platform's publishing (one replica delivers a few
         * thousand events a second).
         */
        @WithDefault("1000")
        double requestsPerSecond();

        /** Bucket capacity: requests a tenant may make at once after being idle. Sent as X-RateLimit-Limit. */
        @WithDefault("2000")
        long burst();

        /**
         * Buckets kept in memory per replica; beyond it the least recently used tenant's bucket is dropped (and starts
         * full again when that tenant returns).
         */
        @WithDefault("10000")
        int maxTenants();
    }
}
