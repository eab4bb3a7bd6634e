package dev.gossip.core;

/**
 * A timer as a value. The driver schedules it and feeds back {@link TimerExpired}; scheduling a
 * timer equal to a pending one replaces it, so roles never rely on duplicate timers.
 */
public interface Timer {}
