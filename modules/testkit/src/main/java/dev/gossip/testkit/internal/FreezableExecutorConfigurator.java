package dev.gossip.testkit.internal;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.dispatch.DispatcherPrerequisites;
import org.apache.pekko.dispatch.ExecutorServiceConfigurator;
import org.apache.pekko.dispatch.ExecutorServiceFactory;
import org.apache.pekko.dispatch.ThreadPoolExecutorConfigurator;

/**
 * A dispatcher executor ({@code executor =
 * "dev.gossip.testkit.internal.FreezableExecutorConfigurator"}) that is the dispatcher's {@code
 * thread-pool-executor} behind the {@link FreezeSwitch} named by the dispatcher's {@code
 * freeze-group} setting.
 */
public final class FreezableExecutorConfigurator extends ExecutorServiceConfigurator {

  private final ThreadPoolExecutorConfigurator pool;
  private final FreezeSwitch freezeSwitch;

  public FreezableExecutorConfigurator(Config config, DispatcherPrerequisites prerequisites) {
    super(config, prerequisites);
    this.pool =
        new ThreadPoolExecutorConfigurator(config.getConfig("thread-pool-executor"), prerequisites);
    this.freezeSwitch = FreezeSwitch.named(config.getString("freeze-group"));
  }

  @Override
  public ExecutorServiceFactory createExecutorServiceFactory(String id, ThreadFactory threads) {
    ExecutorServiceFactory factory = pool.createExecutorServiceFactory(id, threads);
    return () -> new Freezable(factory.createExecutorService(), freezeSwitch);
  }

  private static final class Freezable extends AbstractExecutorService {
    private final ExecutorService delegate;
    private final FreezeSwitch freezeSwitch;

    Freezable(ExecutorService delegate, FreezeSwitch freezeSwitch) {
      this.delegate = delegate;
      this.freezeSwitch = freezeSwitch;
    }

    @Override
    public void execute(Runnable task) {
      freezeSwitch.execute(delegate, task);
    }

    @Override
    public void shutdown() {
      delegate.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
      return delegate.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
      return delegate.isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return delegate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return delegate.awaitTermination(timeout, unit);
    }
  }
}
