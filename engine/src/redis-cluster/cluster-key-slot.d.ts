/** cluster-key-slot ships no types: the CRC16 hash slot of a key, honouring `{hash tags}`. */
declare module 'cluster-key-slot' {
  function calculateSlot(key: string | Buffer): number;
  export default calculateSlot;
}
