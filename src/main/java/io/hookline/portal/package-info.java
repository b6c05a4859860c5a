/**
 * The customer portal at {@code /portal}: server-rendered pages (Qute, htmx) where one tenant's customer manages its
 * endpoints, reads its delivery log and replays deliveries. Part of the API layer: every read and change goes through
 * the services ({@code WebhookService}, {@code DeliveryService}, {@code EventTypes}), with the tenant of the browser
 * session ({@link io.hookline.portal.PortalSession}) and nothing else. {@link io.hookline.portal.PortalGuard} admits a
 * request only with a live session and, for every POST, the session's CSRF token; it also sets the security headers
 * (CSP, no caching). Every change the portal makes passes through {@link io.hookline.portal.PortalMutations}.
 */
package io.hookline.portal;
