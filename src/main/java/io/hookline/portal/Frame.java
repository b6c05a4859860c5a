package io.hookline.portal;

import io.quarkus.qute.TemplateData;

/**
 * What every page's frame shows: the product's name and logo, the signed-in tenant (null on the pages shown without a
 * session), the session's CSRF token for the page's forms, and whether signing in with an account is offered.
 */
@TemplateData
public record Frame(String product, String logoUrl, String tenant, String csrf, boolean signIn) {
    public boolean signedIn() {
        return tenant != null;
    }
}
