package org.dicomweb.gateway.backend.s3.index;

/**
 * An instance row held for one store: a new row in state CREATING ({@code previousKey} null, {@code fresh}), or the
 * row of an instance stored before that this store replaces ({@code previousKey}: its object, to delete if the new
 * one lies elsewhere); and the rows of its study and series, made or updated with the reservation.
 */
public record Reservation(String aet, long pk, boolean fresh, String previousKey, long studyPk, long seriesPk) {
}
