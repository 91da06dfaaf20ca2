/** The same place written two ways (spaces, full-width digits, 號/号) compares equal. */
export function addressKey(address: string): string {
  return address.normalize('NFKC').replace(/[\s,，。.·\-—_()（）]/g, '').replace(/號/g, '号').toLowerCase();
}
