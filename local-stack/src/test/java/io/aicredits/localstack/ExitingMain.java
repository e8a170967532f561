package io.aicredits.localstack;

/** A child JVM's main for {@link SupervisedAppTest}: exits with the code given after the milliseconds given. */
public final class ExitingMain {

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.parseLong(args[1]));
        System.out.println("exiting with code " + args[0]);
        System.exit(Integer.parseInt(args[0]));
    }

    private ExitingMain() {
    }
}
