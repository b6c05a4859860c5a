package io.hookline.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookline.common.Ids;
import io.hookline.contract.Page;
import io.hookline.contract.ProblemException;
import io.hookline.contract.SourceApi;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import io.hookline.crypto.SecretCipher;
import io.hookline.ingest.Provider;
import io.hookline.store.Source;
import io.hookline.store.SourceRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Inbound sources: every method is one transaction and sees only the given tenant's sources. The provider's secret
 * is encrypted like a webhook secret (AES-256-GCM, the source id as associated data) and never leaves this class in
 * a view. {@code ingestBase} is the URL a source id is appended to, to form its {@code ingestUrl}.
 */
@ApplicationScoped
@Transactional
public class SourceService {

    @Inject
    SecretCipher cipher;

    @Inject
    Clock clock;

    @Inject
    AuditLog audit;

    public SourceApi.View create(String tenant, SourceApi.Create request, String ingestBase) {
        if (request == null) {
            throw ProblemException.badRequest("a JSON body with at least provider and secret is required");
        }
        Validation v = new Validation();
        Provider provider = SourceRules.provider(request.provider(), v);
        if (provider != null) {
            SourceRules.checkSecret(provider, request.secret(), v);
            SourceRules.checkHeader(provider, request.signatureHeader(), request.signatureHeader() != null, v);
        }
        SourceRules.checkDescription(request.description(), v);
        Map<String, String> mapping = SourceRules.checkTypeMapping(request.typeMapping(), v);
        v.throwIfInvalid();

        Instant now = clock.instant();
        Source s = new Source();
        s.id = Ids.source();
        s.tenant = tenant;
        s.provider = provider.wire();
        s.description = request.description();
        s.signatureHeader = provider == Provider.HMAC_SHA256 ? request.signatureHeader() : null;
        s.typeMapping = mapping;
        s.seal(cipher.seal(request.secret(), s.id));
        s.createdAt = now;
        s.updatedAt = now;
        s.persist();
        audit.record(tenant, AuditLog.CREATED, AuditLog.SOURCE, s.id, "provider=" + s.provider);
        return SourceApi.View.of(s, ingestBase);
    }

    public Page<SourceApi.View> list(String tenant, int limit, String after, String ingestBase) {
        List<Source> rows = after == null
                ? Source.find("tenant = ?1 and deletedAt is null order by id desc", tenant)
                        .range(0, limit)
                        .list()
                : Source.find("tenant = ?1 and deletedAt is null and id < ?2 order by id desc", tenant, after)
                        .range(0, limit)
                        .list();
        return Page.of(rows, limit, s -> SourceApi.View.of(s, ingestBase), s -> s.id);
    }

    public SourceApi.View get(String tenant, String id, String ingestBase) {
        return SourceApi.View.of(live(tenant, id), ingestBase);
    }

    public SourceApi.View update(String tenant, String id, JsonNode patch, String ingestBase) {
        if (patch == null || !patch.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object with the fields to change");
        }
        Source s = live(tenant, id);
        Provider provider = Provider.fromWire(s.provider).orElseThrow();
        Validation v = new Validation();
        String secret = null;
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "secret" -> {
                    if (!value.isTextual()) {
                        v.fail("secret", "must be a string");
                    } else {
                        SourceRules.checkSecret(provider, value.asText(), v);
                        secret = value.asText();
                    }
                }
                case "description" -> {
                    if (value.isNull()) {
                        s.description = null;
                    } else if (!value.isTextual()) {
                        v.fail("description", "must be a string or null");
                    } else {
                        SourceRules.checkDescription(value.asText(), v);
                        s.description = value.asText();
                    }
                }
                case "typeMapping" -> s.typeMapping = SourceRules.checkTypeMapping(value, v);
                case "signatureHeader" -> {
                    if (!value.isTextual()) {
                        v.fail("signatureHeader", "must be a string");
                    } else {
                        s.signatureHeader = SourceRules.checkHeader(provider, value.asText(), true, v);
                    }
                }
                case "provider" -> v.fail("provider", "cannot be changed; create a new source instead");
                default ->
                    v.fail(
                            field.getKey(),
                            "is not a field that can be changed (secret, description, typeMapping, signatureHeader)");
            }
        }
        // the exception rolls the transaction back: nothing of an invalid patch is written
        v.throwIfInvalid();
        if (secret != null) {
            s.seal(cipher.seal(secret, s.id));
        }
        s.updatedAt = clock.instant();
        // the audit names the fields, never their values (the secret above all)
        StringJoiner changed = new StringJoiner(", ");
        patch.fieldNames().forEachRemaining(name -> changed.add(Text.clip(name, 40)));
        audit.record(tenant, AuditLog.CHANGED, AuditLog.SOURCE, s.id, changed.toString());
        return SourceApi.View.of(s, ingestBase);
    }

    /**
     * Deletes the source: its secret is destroyed and its URL answers 404 from now on. Requests it already accepted
     * are still published (the provider was told they arrived); the row and its log go with the retention job.
     */
    public void delete(String tenant, String id) {
        Source s = live(tenant, id);
        Instant now = clock.instant();
        s.deletedAt = now;
        s.updatedAt = now;
        s.keyId = null;
        s.nonce = null;
        s.ciphertext = null;
        audit.record(tenant, AuditLog.DELETED, AuditLog.SOURCE, s.id, null);
    }

    /** The ingest log of a source, newest first. */
    public Page<SourceApi.RequestView> requests(String tenant, String id, int limit, String after) {
        Source s = live(tenant, id);
        List<SourceRequest> rows = after == null
                ? SourceRequest.find("sourceId = ?1 order by id desc", s.id)
                        .range(0, limit)
                        .list()
                : SourceRequest.find("sourceId = ?1 and id < ?2 order by id desc", s.id, after)
                        .range(0, limit)
                        .list();
        return Page.of(rows, limit, SourceApi.RequestView::of, r -> r.id);
    }

    private static Source live(String tenant, String id) {
        return Source.findLive(tenant, id).orElseThrow(() -> ProblemException.notFound("source", id));
    }
}
