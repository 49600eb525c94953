package io.junction.runtime.config;

import org.junit.jupiter.api.Test;

class ScratchTest {
    static final String UP = "\"upstreams\":[{\"name\":\"web\",\"endpoints\":[\"127.0.0.1:8081\"]}]";
    static void p(String label, String json) {
        try {
            var c = new ConfigLoader(TestExtensions.registry()).parse(json, "test.json");
            System.out.println("## " + label + " OK " + c);
        } catch (ConfigException e) {
            System.out.println("## " + label);
            e.errors().forEach(x -> System.out.println("   [" + x.path() + "] " + x.message()));
        } catch (Throwable t) {
            System.out.println("## " + label + " CRASH");
            t.printStackTrace(System.out);
        }
    }
    static String pl(String extra) {
        return "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\"}" + extra + "}]," + UP + "}";
    }
    @Test
    void scratch() throws Exception {
        p("drain huge", "{\"drainTimeout\":\"9999999999999999d\",\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}]}");
        p("number for string", "{\"pipelines\":[{\"name\":1,\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}]}");
        p("weight", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\"},\"upstream\":\"web\"}],\"upstreams\":[{\"name\":\"web\",\"endpoints\":[\"127.0.0.1:8081\",{\"address\":\"127.0.0.1:8082\",\"weight\":0}]}]}");
        p("bad hostport endpoint", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\"},\"upstream\":\"web\"}],\"upstreams\":[{\"name\":\"web\",\"endpoints\":[\"127.0.0.1:8081\",\"localhost\"]}]}");
        p("wildcard vs specific", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"0.0.0.0:9000\",\"protocol\":{\"type\":\"tcp\"},\"upstream\":\"web\"},{\"name\":\"b\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}},{\"name\":\"c\",\"listen\":\"[::1]:9000\",\"protocol\":{\"type\":\"respond\"}},{\"name\":\"d\",\"listen\":\"[::]:9000\",\"protocol\":{\"type\":\"respond\"}},{\"name\":\"e\",\"listen\":\"127.0.0.1:9001\",\"protocol\":{\"type\":\"respond\"}}]," + UP + "}");
        p("hc bogus", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\"},\"upstream\":\"web\"}],\"upstreams\":[{\"name\":\"web\",\"endpoints\":[\"127.0.0.1:8081\"],\"healthCheck\":{\"type\":\"http\",\"bogus\":1,\"interval\":\"x\"}}]}");
        p("unknown protocol dangling", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"udp\"},\"upstream\":\"nope\"}]," + UP + "}");
    }
}
