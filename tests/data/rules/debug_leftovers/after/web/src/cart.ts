export interface Item {
  sku: string;
  price: number;
  qty: number;
}

export function total(items: Item[]): number {
  console.log("total for", items.length, "items");
  const sum = items.reduce((s, i) => s + i.price * i.qty, 0);
  debugger;
  console.error("cart total failed validation") // legit error reporting stays
  return Math.round(sum * 100) / 100;
}
