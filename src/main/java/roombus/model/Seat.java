package roombus.model;

/**
 * A user's place in a room after entering or joining it. {@code newlySeated} is true when this call
 * took the seat (the room's occupancy changed); {@code firstConnection} when the user was not
 * present before (their arrival is announced). {@code count} is the room's occupancy afterwards.
 */
public record Seat(boolean newlySeated, boolean firstConnection, int count) {}
