package io.hookline.portal;

import io.quarkus.qute.TemplateData;

/**
 * What every page's frame shows: the product's name and logo, the signed-in tenant (null on the pages shown without a
 * session) and the session's CSRF token for the page's forms.
 */
@TemplateData
public record Frame(String product, String logoUrl, String tenant, String csrf) {
    public boolean signedIn() {
        return tenant != null;
    }
}
