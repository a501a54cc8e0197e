package dev.tally.app.chaos;

/**
 * When clients stop, on the run's clock, decided while the run goes on: the faults end when the seed's rounds are
 * done. Writers start no write after {@link #stopWriting()} and give up retrying at {@link #giveUp()}; readers stop
 * at {@link #stopReading()}.
 */
final class Deadlines {

    private volatile long stopWriting = Long.MAX_VALUE;
    private volatile long giveUp = Long.MAX_VALUE;
    private volatile long stopReading = Long.MAX_VALUE;

    long stopWriting() {
        return stopWriting;
    }

    long giveUp() {
        return giveUp;
    }

    long stopReading() {
        return stopReading;
    }

    void writersStopAt(long at, long giveUpAt) {
        stopWriting = at;
        giveUp = giveUpAt;
    }

    void readersStopAt(long at) {
        stopReading = at;
    }
}
