// Stage alignment by node name: a longest common subsequence, so a node the model skipped or added
// shows up as one missing/extra stage instead of shifting every later comparison by one.

export interface Aligned<A, B> {
  model?: A;
  golden?: B;
  modelIndex?: number;
  goldenIndex?: number;
}

/**
 * LCS over keys; ties prefer keeping the golden order (a missing model stage is listed before the
 * extra model stage that replaced it, which reads naturally: "expected X, model went to Y").
 * O(n*m) - stage lists are tens of entries.
 */
export function alignByKey<A, B>(model: readonly A[], golden: readonly B[], keyA: (a: A) => string, keyB: (b: B) => string): Aligned<A, B>[] {
  const n = model.length;
  const m = golden.length;
  const L: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      L[i][j] = keyA(model[i]) === keyB(golden[j]) ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    }
  }
  const out: Aligned<A, B>[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && keyA(model[i]) === keyB(golden[j])) {
      out.push({ model: model[i], golden: golden[j], modelIndex: i, goldenIndex: j });
      i++;
      j++;
    } else if (j < m && (i >= n || L[i][j + 1] >= L[i + 1][j])) {
      out.push({ golden: golden[j], goldenIndex: j });
      j++;
    } else {
      out.push({ model: model[i], modelIndex: i });
      i++;
    }
  }
  return out;
}
