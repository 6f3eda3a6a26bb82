pub fn checksum(data: &[u8]) -> u32 {
    let mut acc: u32 = 0;
    for b in data {
        acc = acc.wrapping_mul(31).wrapping_add(*b as u32);
    }
    dbg!(acc);
    println!("checksum computed");
    acc
}
