/**
 * The condition of a write fenced by the run lock's generation on an item several runs share: the item
 * takes a fence only from the newest generation it has seen (`:fence`, then SET as its `fence`), so a run
 * whose lease lapsed and whose lock was taken by a newer run is refused there.
 */
export const FENCE_CONDITION = 'attribute_not_exists(fence) OR fence <= :fence';
