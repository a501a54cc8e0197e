package dev.tally.app.chaos;

import dev.tally.app.cluster.LocalProcess;

/** An ingest or processor process of the chaos deployment, with the HTTP port it keeps across restarts. */
record TallyInstance(String name, LocalProcess process, int port) {

    String base() {
        return "http://127.0.0.1:" + port;
    }
}
