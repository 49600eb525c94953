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
        p("number for string", "{\"pipelines\":[{\"name\":1,\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}]}");
        p("bool for string", "{\"pipelines\":[{\"name\":true,\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}]}");
        p("float for string", "{\"pipelines\":[{\"name\":1.5,\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}]}");
        p("float for int", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\",\"connectAttempts\":2.5},\"upstream\":\"web\"}]," + UP + "}");
        p("float for int2", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\",\"connectAttempts\":2.0},\"upstream\":\"web\"}]," + UP + "}");
        p("routes null elem", pl(",\"routes\":[null]"));
        p("filters null elem", pl(",\"upstream\":\"web\",\"filters\":[{\"type\":\"allow\"},null]"));
        p("endpoints null elem", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}],\"upstreams\":[{\"name\":\"web\",\"endpoints\":[\"127.0.0.1:1\",null]}]}");
        p("allow null elem", pl(",\"upstream\":\"web\",\"filters\":[{\"type\":\"allow\",\"cidrs\":[\"a\",null]}]"));
        p("allow num elem", pl(",\"upstream\":\"web\",\"filters\":[{\"type\":\"allow\",\"cidrs\":[\"a\",3]}]"));
        p("match null", pl(",\"routes\":[{\"match\":null,\"upstream\":\"web\"}]"));
        p("null for int", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"tcp\",\"connectAttempts\":null},\"upstream\":\"web\"}]," + UP + "}");
        p("upstreams null", "{\"pipelines\":[{\"name\":\"a\",\"listen\":\"127.0.0.1:9000\",\"protocol\":{\"type\":\"respond\"}}],\"upstreams\":null}");
    }
}
