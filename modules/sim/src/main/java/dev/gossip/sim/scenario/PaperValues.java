package dev.gossip.sim.scenario;

/**
 * The papers' values at 10,000 nodes: HyParView (Leitão, Pereira, Rodrigues, DSN 2007) Fig. 2, Fig.
 * 4 and Table 1; Plumtree ("Epidemic Broadcast Trees", SRDS 2007) section 4. NaN where a paper
 * gives no value.
 */
final class PaperValues {
  private PaperValues() {}

  /** Mean reliability (%) of broadcasts right after x% of nodes fail at once. */
  static double fig2(int percent) {
    if (percent <= 50) {
      return 100;
    }
    return switch (percent) {
      case 60 -> 99.97;
      case 70 -> 99.94;
      case 80 -> 99.91;
      case 90 -> 99.7;
      case 95 -> 90.9;
      default -> Double.NaN;
    };
  }

  /** Membership cycles to regain reliability after x% fail. */
  static double fig4(int percent) {
    if (percent <= 60) {
      return 1;
    }
    return switch (percent) {
      case 70, 80 -> 2;
      case 90 -> 4;
      default -> Double.NaN;
    };
  }

  /** Reliability (%) of the first broadcast after x% fail (Plumtree). */
  static double firstBroadcast(int percent) {
    return switch (percent) {
      case 10, 20 -> 100;
      case 30 -> 99.8;
      case 40 -> 98.8;
      case 50 -> 95;
      case 60 -> 56;
      default -> Double.NaN;
    };
  }

  static final double CLUSTERING = 0.00092;
  static final double AVERAGE_SHORTEST_PATH = 6.39;
  static final double MAX_HOPS = 9.0;
  static final double IN_DEGREE_5 = 9_980;
  static final double FLOODING_RMR = 2.997;
  static final double FLOODING_LDH = 8.85;
  static final double STABLE_RMR = 0;
  static final double STABLE_LDH = 10.0;
  static final double STABLE_LDH_OPTIMIZED = 8.35;
  static final double CHURN_RELIABILITY = 100;
  static final double CHURN_RMR = 0.06;
  static final double CHURN_RMR_OPTIMIZED = 0.025;
}
