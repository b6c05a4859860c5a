package io.hookline.service;

/**
 * The actor of the request being served, for {@link AuditLog}. Implemented by the layer that authenticates requests
 * ({@code auth.Tenant}), so that services record who acted without taking it as a parameter of every call.
 */
public interface CurrentActor {
    Actor actor();
}
