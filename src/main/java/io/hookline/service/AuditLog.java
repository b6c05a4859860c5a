package io.hookline.service;

import io.hookline.common.Ids;
import io.hookline.contract.AuditApi;
import io.hookline.contract.Page;
import io.hookline.contract.Text;
import io.hookline.store.AuditEntry;
import io.quarkus.arc.Arc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;

/**
 * A tenant's audit log: who changed what, and when. Every change made for a tenant is recorded, whoever made it
 * (the tenant's own token, a platform backend through the platform role, a portal session), in the transaction of
 * the change: {@link #record} joins the caller's transaction and refuses to run without one, so a change and its
 * entry commit or roll back together.
 * <p>
 * Callers pass object ids, field names and small numbers as {@code detail}, never a secret, a URL (it may carry a
 * token) or a payload. This class is threadsafe.
 */
@ApplicationScoped
public class AuditLog {
    public static final String CREATED = "created";
    public static final String CHANGED = "changed";
    public static final String ROTATED = "rotated";
    public static final String REVOKED = "revoked";
    public static final String DELETED = "deleted";
    public static final String TESTED = "tested";
    public static final String REDELIVERED = "redelivered";
    public static final String RECOVERED = "recovered";
    /** A portal link was issued. */
    public static final String ISSUED = "issued";

    public static final String WEBHOOK = "webhook";
    public static final String DELIVERY = "delivery";
    public static final String SOURCE = "source";
    public static final String PORTAL_LINK = "portal_link";

    static final int MAX_DETAIL = 500;

    @Inject
    Instance<CurrentActor> current;

    @Inject
    Clock clock;

    /**
     * Records one change in the caller's transaction.
     *
     * @param tenant the tenant the change was made for
     * @param actor who made it ({@link #caller()} for the request being served)
     * @param action what was done, lower case: {@link #CREATED}, {@link #CHANGED}, {@link #ROTATED}, …
     * @param objectType the kind of object, lower case: {@link #WEBHOOK}, {@link #DELIVERY}, …
     * @param objectId the object's id, or null
     * @param detail a short note (at most 500 characters are kept), or null; never a secret
     * @throws jakarta.transaction.TransactionalException when no transaction is active
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String tenant, Actor actor, String action, String objectType, String objectId, String detail) {
        AuditEntry e = new AuditEntry();
        e.id = Ids.audit();
        e.tenant = tenant;
        e.createdAt = clock.instant();
        e.action = action;
        e.objectType = objectType;
        e.objectId = objectId;
        e.actorVia = actor.via().value();
        e.actorSubject = actor.subject();
        e.actorClient = actor.client();
        e.detail = detail == null ? null : Text.clip(detail, MAX_DETAIL - 1);
        e.persist();
    }

    /** {@link #record(String, Actor, String, String, String, String)} for the actor of the request being served. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String tenant, String action, String objectType, String objectId, String detail) {
        record(tenant, caller(), action, objectType, objectId, detail);
    }

    /**
     * The actor of the request being served, or {@link Actor#SYSTEM} outside a request. Work that leaves the request's
     * thread (the test send) reads it first and passes it on.
     */
    public Actor caller() {
        if (!Arc.container().requestContext().isActive() || !current.isResolvable()) {
            return Actor.SYSTEM;
        }
        return current.get().actor();
    }

    /** The tenant's entries, newest first. */
    @Transactional
    public Page<AuditApi.Entry> list(String tenant, int limit, String after) {
        return Page.of(AuditEntry.page(tenant, limit, after), limit, AuditApi.Entry::of, e -> e.id);
    }
}
