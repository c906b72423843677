/** Strings of the Nghị định 30/2020 layout shared by every official document (app/server/pdf/nd30.server.ts). */
export const nd30 = {
  vi: {
    nationalName: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    motto: "Độc lập - Tự do - Hạnh phúc",
    placeDate: (place: string, day: string, month: string, year: string) => `${place}, ngày ${day} tháng ${month} năm ${year}`,
    recipientsLabel: "Nơi nhận:",
  },
};
