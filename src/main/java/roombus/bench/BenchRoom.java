package roombus.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A room of the run: its id once created, and how many of its sockets are live (the fan-out of one
 * message).
 */
final class BenchRoom {

  final int index;
  volatile String id;
  volatile String address;
  final AtomicInteger live = new AtomicInteger();

  BenchRoom(int index) {
    this.index = index;
  }
}
