package io.hookline.api;

import io.hookline.contract.ProblemException;
import io.hookline.contract.Text;
import io.hookline.contract.Validation;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before any resource runs, request parts that could never be stored or matched (see {@link Text}): a
 * path id holding U+0000 or longer than {@link Text#MAX_ID} is a 404 like any unknown id; such a query parameter is a
 * 422 naming it. Without this, {@code /v1/webhooks/wh_%00} reached PostgreSQL and failed there with a 500 (SQLState
 * 22021). Headers need no check here: the HTTP layer answers a header value holding U+0000 with a 400 before any
 * handler runs (as it does a broken percent-escape), and header bytes are ISO-8859-1, which has no surrogates.
 * <p>
 * Runs after authentication and the rate limit (priority {@link Priorities#USER}), so such a request costs its
 * tenant a token and an anonymous one still gets its 401.
 */
public class InputGuard {

    @ServerRequestFilter(priority = Priorities.USER)
    public void check(ContainerRequestContext request) {
        for (List<String> values : request.getUriInfo().getPathParameters().values()) {
            for (String value : values) {
                if (value.length() > Text.MAX_ID || !Text.storable(value)) {
                    throw ProblemException.notFound();
                }
            }
        }
        Validation v = new Validation();
        for (Map.Entry<String, List<String>> param :
                request.getUriInfo().getQueryParameters().entrySet()) {
            String name = Text.storable(param.getKey()) ? param.getKey() : "query";
            for (String value : param.getValue()) {
                if (!Text.storable(param.getKey()) || !Text.storable(value)) {
                    v.fail(name, Text.UNSTORABLE);
                }
            }
        }
        v.throwIfInvalid();
    }
}
