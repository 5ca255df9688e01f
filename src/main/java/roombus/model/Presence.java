package roombus.model;

/** One node's connection(s) of a user in a room, as recorded in the store. */
public record Presence(String room, String user, String color, String node) {}
