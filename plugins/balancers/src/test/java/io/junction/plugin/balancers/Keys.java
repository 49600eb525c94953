package io.junction.plugin.balancers;

import io.junction.api.upstream.Balancer;
import io.junction.api.upstream.Endpoint;
import io.junction.api.upstream.PickContext;
import java.util.ArrayList;
import java.util.List;

/** Keyed pick contexts for the hashing balancers' tests: {@code user-<i>} in header {@code x-user}. */
final class Keys {

    private Keys() {
    }

    static PickContext header(String value) {
        return PickContext.forClient(null).withAttributes(name -> name.equals("header:x-user") ? value : null);
    }

    /** The endpoint picked for each of the keys {@code user-0} to {@code user-(n-1)}, from a fresh copy of the list. */
    static List<Endpoint> owners(Balancer balancer, List<? extends Endpoint> candidates, int n) {
        List<Endpoint> owners = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            owners.add(balancer.pick(new ArrayList<>(candidates), header("user-" + i)));
        }
        return owners;
    }

    /** How many keys have a different owner in {@code after} than in {@code before}. */
    static int moved(List<Endpoint> before, List<Endpoint> after) {
        int moved = 0;
        for (int i = 0; i < before.size(); i++) {
            moved += before.get(i) == after.get(i) ? 0 : 1;
        }
        return moved;
    }
}
