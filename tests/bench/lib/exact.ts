/**
 * The exact optimum the engine is measured against.
 *
 * Problem (the engine's caps, nothing more): directed suggestions, owner -> target. Choose
 * a set of arcs maximising the total weight such that every owner has at most `p` targets
 * (the list length) and every target is in at most `m` lists (the exposure cap). A pair
 * may be chosen in both directions; each direction counts once.
 *
 * That is a maximum-weight b-matching in the bipartite graph owners x targets, solved as a
 * min-cost flow: source -> owner (capacity p, cost 0), owner -> target (capacity 1, cost
 * -weight), target -> sink (capacity m, cost 0), with the flow amount left free. Solved by
 * the primal-dual method: Dijkstra on reduced costs gives potentials, then a maximum flow
 * (Dinic) on the zero-reduced-cost arcs pushes every shortest augmenting path of that
 * length at once; stop when the cheapest augmenting path no longer has negative cost.
 * Costs are integers, so the result is exact.
 */

export interface Arcs {
  /** Owner index, target index (both in 0..n-1) and integer weight > 0, one per arc. */
  from: Int32Array;
  to: Int32Array;
  weight: Int32Array;
  count: number;
}

export interface BMatching {
  total: number;
  /** For each input arc: chosen or not. */
  chosen: Uint8Array;
  phases: number;
}

export function maxWeightBMatching(n: number, arcs: Arcs, p: number, m: number): BMatching {
  const S = 0;
  const T = 2 * n + 1;
  const V = 2 * n + 2;
  const E = arcs.count;
  const A = 2 * (E + 2 * n);

  // CSR adjacency with paired reverse arcs.
  const deg = new Int32Array(V + 1);
  const tails = new Int32Array(A / 2);
  const heads = new Int32Array(A / 2);
  const caps = new Int32Array(A / 2);
  const costs = new Float64Array(A / 2);
  let k = 0;
  const add = (u: number, v: number, cap: number, cost: number) => {
    tails[k] = u;
    heads[k] = v;
    caps[k] = cap;
    costs[k] = cost;
    deg[u]!++;
    deg[v]!++;
    k++;
  };
  for (let i = 0; i < n; i++) add(S, 1 + i, p, 0);
  const middleStart = k;
  for (let e = 0; e < E; e++) add(1 + arcs.from[e]!, 1 + n + arcs.to[e]!, 1, -arcs.weight[e]!);
  for (let j = 0; j < n; j++) add(1 + n + j, T, m, 0);

  const first = new Int32Array(V + 1);
  for (let v = 0; v < V; v++) first[v + 1] = first[v]! + deg[v]!;
  const fill = first.slice(0, V);
  const to = new Int32Array(A);
  const cap = new Int32Array(A);
  const cost = new Float64Array(A);
  const rev = new Int32Array(A);
  const forwardSlot = new Int32Array(A / 2);
  for (let a = 0; a < A / 2; a++) {
    const u = tails[a]!;
    const v = heads[a]!;
    const x = fill[u]!++;
    const y = fill[v]!++;
    to[x] = v;
    cap[x] = caps[a]!;
    cost[x] = costs[a]!;
    to[y] = u;
    cap[y] = 0;
    cost[y] = -costs[a]!;
    rev[x] = y;
    rev[y] = x;
    forwardSlot[a] = x;
  }

  // Feasible initial potentials (all reduced costs >= 0 on arcs with capacity).
  const pot = new Float64Array(V);
  for (let a = middleStart; a < middleStart + E; a++) {
    const r = heads[a]!;
    if (costs[a]! < pot[r]!) pot[r] = costs[a]!;
  }
  for (let j = 0; j < n; j++) if (pot[1 + n + j]! < pot[T]!) pot[T] = pot[1 + n + j]!;

  const dist = new Float64Array(V);
  const done = new Uint8Array(V);
  const heapKey = new Float64Array(A + V);
  const heapNode = new Int32Array(A + V);
  const level = new Int32Array(V);
  const iter = new Int32Array(V);
  const queue = new Int32Array(V);
  let phases = 0;

  const reduced = (u: number, a: number) => cost[a]! + pot[u]! - pot[to[a]!]!;

  const dfs = (u: number, f: number): number => {
    if (u === T) return f;
    for (; iter[u]! < first[u + 1]!; iter[u]!++) {
      const a = iter[u]!;
      const v = to[a]!;
      if (cap[a]! <= 0 || level[v] !== level[u]! + 1 || reduced(u, a) !== 0) continue;
      const d = dfs(v, f < cap[a]! ? f : cap[a]!);
      if (d > 0) {
        cap[a]! -= d;
        cap[rev[a]!]! += d;
        return d;
      }
    }
    return 0;
  };

  for (;;) {
    // Dijkstra on reduced costs, stopping once the sink is settled.
    dist.fill(Infinity);
    done.fill(0);
    let size = 0;
    const push = (key: number, node: number) => {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heapKey[parent]! <= key) break;
        heapKey[i] = heapKey[parent]!;
        heapNode[i] = heapNode[parent]!;
        i = parent;
      }
      heapKey[i] = key;
      heapNode[i] = node;
    };
    const pop = () => {
      const node = heapNode[0]!;
      const key = heapKey[--size]!;
      const last = heapNode[size]!;
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && heapKey[c + 1]! < heapKey[c]!) c++;
        if (heapKey[c]! >= key) break;
        heapKey[i] = heapKey[c]!;
        heapNode[i] = heapNode[c]!;
        i = c;
      }
      heapKey[i] = key;
      heapNode[i] = last;
      return node;
    };
    dist[S] = 0;
    push(0, S);
    while (size > 0) {
      const u = pop();
      if (done[u]) continue;
      done[u] = 1;
      if (u === T) break;
      const du = dist[u]!;
      for (let a = first[u]!; a < first[u + 1]!; a++) {
        if (cap[a]! <= 0) continue;
        const v = to[a]!;
        if (done[v]) continue;
        const nd = du + reduced(u, a);
        if (nd < dist[v]!) {
          dist[v] = nd;
          push(nd, v);
        }
      }
    }
    if (!done[T]) break;
    const dT = dist[T]!;
    for (let v = 0; v < V; v++) pot[v]! += done[v] ? dist[v]! : dT;
    // pot[S] stays 0, so pot[T] is the real cost of a cheapest augmenting path.
    if (pot[T]! - pot[S]! >= 0) break;
    phases++;

    // Max flow on the admissible (zero reduced cost) arcs.
    for (;;) {
      level.fill(-1);
      level[S] = 0;
      let qh = 0;
      let qt = 0;
      queue[qt++] = S;
      while (qh < qt) {
        const u = queue[qh++]!;
        for (let a = first[u]!; a < first[u + 1]!; a++) {
          const v = to[a]!;
          if (cap[a]! > 0 && level[v]! < 0 && reduced(u, a) === 0) {
            level[v] = level[u]! + 1;
            queue[qt++] = v;
          }
        }
      }
      if (level[T]! < 0) break;
      iter.set(first.subarray(0, V));
      while (dfs(S, Infinity) > 0) {
        // keep pushing along the level graph
      }
    }
  }

  const chosen = new Uint8Array(E);
  let total = 0;
  for (let e = 0; e < E; e++) {
    if (cap[forwardSlot[middleStart + e]!] === 0) {
      chosen[e] = 1;
      total += arcs.weight[e]!;
    }
  }
  return { total, chosen, phases };
}
