package io.hookline.portal;

import io.hookline.contract.DeliveryApi;
import io.hookline.store.DeliveryStatus;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;

/** One page of an endpoint's delivery log, the status it is filtered by (null: all) and the next page's cursor. */
@TemplateData
public record DeliveryLog(List<DeliveryApi.View> rows, String status, String next, List<StatusChoice> statuses) {

    @TemplateData
    public record StatusChoice(String value, String label, boolean selected) {}

    static DeliveryLog of(List<DeliveryApi.View> rows, String status, String next) {
        List<StatusChoice> statuses = new ArrayList<>();
        statuses.add(new StatusChoice("", "All", status == null));
        for (String value : DeliveryStatus.VALUES) {
            statuses.add(new StatusChoice(value, label(value), value.equals(status)));
        }
        return new DeliveryLog(rows, status, next, statuses);
    }

    static String label(String status) {
        return switch (status) {
            case "pending" -> "Pending";
            case "in_flight" -> "Sending";
            case "succeeded" -> "Succeeded";
            case "failed" -> "Failed";
            case "cancelled" -> "Cancelled";
            default -> status;
        };
    }

    public boolean filtered() {
        return status != null;
    }
}
