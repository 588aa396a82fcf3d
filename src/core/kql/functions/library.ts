// Loads every function module (each registers its functions in define.ts's table).
export {};
