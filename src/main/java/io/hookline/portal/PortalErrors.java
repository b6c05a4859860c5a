package io.hookline.portal;

import io.hookline.api.DatabaseFailure;
import io.hookline.contract.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * The portal's failures as pages, not problem+json: a foreign or unknown id is the same 404 page (it names nothing),
 * a refused request says why, a bug says nothing but that it failed (and is logged).
 */
@ApplicationScoped
public class PortalErrors {
    private static final Logger LOG = Logger.getLogger(PortalErrors.class);

    @Inject
    PortalBranding branding;

    @Inject
    PortalSession session;

    Response problem(ProblemException e) {
        if (e.status() == 404) {
            return notFound();
        }
        Response.ResponseBuilder builder = Response.status(e.status()).type(Pages.HTML);
        e.headers().forEach(builder::header);
        return builder.entity(Pages.message(frame(), title(e.status()), e.getMessage())
                        .render())
                .build();
    }

    Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 404) {
            return notFound();
        }
        if (status >= 500) {
            return unexpected(e);
        }
        return PortalGuard.page(
                status,
                Pages.message(frame(), title(status), "This request cannot be handled here.")
                        .render());
    }

    Response unexpected(Exception e) {
        var database = DatabaseFailure.problemFor(e);
        if (database.isPresent()) {
            return problem(database.get());
        }
        LOG.error("Unexpected failure while serving a portal page", e);
        return PortalGuard.page(
                500,
                Pages.message(frame(), "Something went wrong", "The page could not be shown. Try again in a moment.")
                        .render());
    }

    private Response notFound() {
        return PortalGuard.page(
                404,
                Pages.message(
                                frame(),
                                "Not found",
                                "There is no such endpoint or delivery in this account. It may have been revoked.")
                        .render());
    }

    private Frame frame() {
        return branding.frame(session);
    }

    private static String title(int status) {
        return switch (status) {
            case 403 -> "Not allowed";
            case 409 -> "Not possible right now";
            case 422 -> "Invalid request";
            case 429 -> "Too many requests";
            case 503 -> "Temporarily unavailable";
            default -> "Request refused";
        };
    }
}
