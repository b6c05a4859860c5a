package io.hookline.portal;

import io.hookline.contract.DeliveryApi;
import io.hookline.contract.WebhookApi;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;

/**
 * The portal's templates (src/main/resources/templates/portal), checked at build time: every expression in them must
 * name a parameter below and a member of its type. Qute escapes every value written into these HTML templates.
 */
@CheckedTemplate(basePath = "portal")
final class Pages {
    static final String HTML = "text/html;charset=UTF-8";

    private Pages() {}

    static native TemplateInstance message(Frame frame, String heading, String text);

    static native TemplateInstance endpoints(
            Frame frame, List<WebhookApi.View> endpoints, String next, List<String> eventTypes, String notice);

    static native TemplateInstance newEndpoint(Frame frame, EndpointForm form);

    static native TemplateInstance secret(Frame frame, WebhookApi.WithSecret endpoint, boolean rotated, String grace);

    static native TemplateInstance endpoint(
            Frame frame,
            WebhookApi.View endpoint,
            EndpointForm form,
            DeliveryLog log,
            TestView test,
            String notice,
            String error);

    static native TemplateInstance testResult(TestView test);

    static native TemplateInstance delivery(Frame frame, DeliveryApi.Detail detail, String notice, String error);
}
