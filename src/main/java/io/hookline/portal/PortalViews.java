package io.hookline.portal;

import io.hookline.contract.DeliveryApi;
import io.hookline.contract.Page;
import io.hookline.contract.WebhookApi;
import io.hookline.service.DeliveryService;
import io.hookline.service.EventTypes;
import io.hookline.service.WebhookService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** Builds the portal's pages from the services' answers, for the session's tenant only. */
@ApplicationScoped
public class PortalViews {
    /** Rows per page of the endpoint list and of a delivery log. */
    static final int PAGE_SIZE = 25;

    /** The confirmations a redirect may ask for, by key: a page never echoes text from the address bar. */
    static final Map<String, String> NOTICES = Map.of(
            "saved", "Changes saved.",
            "enabled", "Endpoint enabled: deliveries resume.",
            "disabled", "Endpoint disabled: nothing is sent to it until it is enabled again.",
            "revoked", "Endpoint revoked. Nothing more will be sent to it.",
            "redelivered", "Delivery queued again: it appears at the top of the log.");

    @Inject
    WebhookService webhooks;

    @Inject
    DeliveryService deliveries;

    @Inject
    EventTypes eventTypes;

    @Inject
    PortalSession session;

    @Inject
    PortalBranding branding;

    Frame frame() {
        return branding.frame(session);
    }

    String endpoints(String after, String notice) {
        String tenant = session.tenant();
        Page<WebhookApi.View> page = webhooks.list(tenant, PAGE_SIZE, Page.after(after));
        return Pages.endpoints(frame(), page.data(), page.next(), eventTypes.recent(tenant), notice(notice))
                .render();
    }

    String newEndpoint(EndpointForm form) {
        return Pages.newEndpoint(frame(), form).render();
    }

    EndpointForm emptyForm() {
        return EndpointForm.of("", "", List.of(), eventTypes.recent(session.tenant()));
    }

    /** The form filled with what the customer sent, ticking the boxes they ticked. */
    EndpointForm sentForm(String url, String description, List<String> ticked, String typed) {
        EndpointForm blank = EndpointForm.of(url, description, List.of(), eventTypes.recent(session.tenant()));
        return new EndpointForm(blank.url(), blank.description(), blank.choices(), typed == null ? "" : typed, Map.of())
                .ticking(ticked);
    }

    /**
     * The endpoint page. {@code form} null: the settings as stored; {@code test} null: no test result to show.
     */
    String endpoint(
            String id, String status, String after, EndpointForm form, TestView test, String notice, String error) {
        return endpoint(frame(), id, status, after, form, test, notice, error);
    }

    /** As above, for a thread without the request's scope (the end of a test send): the frame names the tenant. */
    String endpoint(
            Frame frame,
            String id,
            String status,
            String after,
            EndpointForm form,
            TestView test,
            String notice,
            String error) {
        String tenant = frame.tenant();
        WebhookApi.View endpoint = webhooks.get(tenant, id);
        if (form == null) {
            form = EndpointForm.of(
                    endpoint.url(), endpoint.description(), endpoint.eventTypes(), eventTypes.recent(tenant));
        }
        Page<DeliveryApi.View> page = deliveries.forWebhook(tenant, id, status, PAGE_SIZE, Page.after(after));
        return Pages.endpoint(
                        frame,
                        endpoint,
                        form,
                        DeliveryLog.of(page.data(), status, page.next()),
                        test,
                        notice(notice),
                        error)
                .render();
    }

    String delivery(String id, String notice, String error) {
        DeliveryApi.Detail detail = deliveries.get(session.tenant(), id);
        return Pages.delivery(frame(), detail, notice(notice), error).render();
    }

    static String notice(String key) {
        return key == null ? null : NOTICES.get(key);
    }
}
